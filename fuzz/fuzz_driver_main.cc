// The plain driver: a main() for compilers without libFuzzer (g++). It runs every file given
// on the command line, or found under a directory given there, through the target's
// LLVMFuzzerTestOneInput, then (with -runs or -max_total_time) mutated copies of them made by
// the target's LLVMFuzzerCustomMutator, round robin, until either limit is reached.
//
//   fuzz_invoke [-runs=N] [-max_total_time=S] [-seed=S] [-timeout=S] [-artifact_prefix=P]
//               FILE_OR_DIR...
//
// Flags use libFuzzer's spelling so that the same command line works with both builds; other
// libFuzzer flags are accepted and ignored. On a crash, sanitizer report, abort or input that
// runs longer than -timeout seconds it prints "reproducer: <path>" (a mutant is first written
// to <artifact_prefix>crash-mutant.tflite) and exits non-zero.
#include <signal.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/model_mutator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) __attribute__((weak));
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace {

litescope::fuzz::Rng g_raw_rng(1);

// What runs now, for the crash report. Set before each input; read by signal handlers.
const char* g_current_file = "";
const uint8_t* g_mutant = nullptr;  // null while a corpus file runs
size_t g_mutant_size = 0;
std::string g_mutant_path;

void WriteStderr(const char* s) {
  ssize_t ignored = write(2, s, std::strlen(s));
  (void)ignored;
}

// Async-signal-safe: writes the mutant (if any) and names the reproducer.
void ReportCrash() {
  static volatile sig_atomic_t reported = 0;
  if (reported) return;
  reported = 1;
  const char* path = g_current_file;
  if (g_mutant) {
    const int fd = open(g_mutant_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      size_t done = 0;
      while (done < g_mutant_size) {
        const ssize_t n = write(fd, g_mutant + done, g_mutant_size - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
      }
      close(fd);
    }
    WriteStderr("fuzz driver: failure on a mutant of ");
    WriteStderr(g_current_file);
    WriteStderr("\n");
    path = g_mutant_path.c_str();
  }
  WriteStderr("reproducer: ");
  WriteStderr(path);
  WriteStderr("\n");
}

void OnSignal(int sig) {
  if (sig == SIGALRM) WriteStderr("fuzz driver: input ran past -timeout\n");
  ReportCrash();
  if (sig == SIGALRM) _exit(70);
  signal(sig, SIG_DFL);
  raise(sig);
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Parses "-name=value" or "--name=value"; true when `arg` is that flag.
bool Flag(const std::string& arg, const char* name, std::string* value) {
  std::string a = arg;
  if (a.rfind("--", 0) == 0) a = a.substr(1);
  const std::string prefix = std::string("-") + name + "=";
  if (a.rfind(prefix, 0) != 0) return false;
  *value = a.substr(prefix.size());
  return true;
}

}  // namespace

// Byte-level mutation for the custom mutator's fallback (libFuzzer provides its own).
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size) {
  litescope::fuzz::Rng& rng = g_raw_rng;
  if (size == 0) {
    if (max_size == 0) return 0;
    data[0] = static_cast<uint8_t>(rng.Below(256));
    return 1;
  }
  switch (rng.Below(5)) {
    case 0:
      data[rng.Below(size)] ^= static_cast<uint8_t>(1u << rng.Below(8));
      return size;
    case 1: {
      static const uint8_t kBytes[] = {0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x40};
      data[rng.Below(size)] = kBytes[rng.Below(sizeof(kBytes))];
      return size;
    }
    case 2: {  // copy a chunk over another place
      const size_t n = 1 + rng.Below(std::min<size_t>(size, 16));
      std::memmove(data + rng.Below(size - n + 1), data + rng.Below(size - n + 1), n);
      return size;
    }
    case 3: {  // erase a chunk
      const size_t n = 1 + rng.Below(std::min<size_t>(size, 16));
      const size_t at = rng.Below(size - n + 1);
      std::memmove(data + at, data + at + n, size - at - n);
      return size - n;
    }
    default: {  // insert a byte
      if (size >= max_size) return size;
      const size_t at = rng.Below(size + 1);
      std::memmove(data + at + 1, data + at, size - at);
      data[at] = static_cast<uint8_t>(rng.Below(256));
      return size + 1;
    }
  }
}

int main(int argc, char** argv) {
  long runs = 0, max_total_time = 0, timeout = 0;
  unsigned long seed = 1;
  std::string artifact_prefix = "./";
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string v;
    if (Flag(arg, "runs", &v))
      runs = std::atol(v.c_str());
    else if (Flag(arg, "max_total_time", &v))
      max_total_time = std::atol(v.c_str());
    else if (Flag(arg, "seed", &v))
      seed = std::strtoul(v.c_str(), nullptr, 10);
    else if (Flag(arg, "timeout", &v))
      timeout = std::atol(v.c_str());
    else if (Flag(arg, "artifact_prefix", &v))
      artifact_prefix = v;
    else if (!arg.empty() && arg[0] == '-')
      continue;  // another libFuzzer flag
    else if (std::filesystem::is_directory(arg)) {
      std::vector<std::string> found;
      for (const auto& e : std::filesystem::recursive_directory_iterator(arg))
        if (e.is_regular_file()) found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::is_regular_file(arg)) {
      files.push_back(arg);
    } else {
      std::fprintf(stderr, "error: %s: no such file or directory\n", arg.c_str());
      return 2;
    }
  }
  g_raw_rng = litescope::fuzz::Rng(seed);
  g_mutant_path = artifact_prefix + "crash-mutant.tflite";
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(ReportCrash);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM}) signal(sig, OnSignal);

  const auto start = std::chrono::steady_clock::now();
  auto elapsed_s = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::vector<std::vector<uint8_t>> corpus;
  for (const std::string& path : files) {
    corpus.push_back(ReadFile(path));
    g_current_file = path.c_str();
    if (timeout > 0) alarm(static_cast<unsigned>(timeout));
    LLVMFuzzerTestOneInput(corpus.back().data(), corpus.back().size());
    alarm(0);
  }
  long mutants = 0;
  const bool mutate = (runs > 0 || max_total_time > 0) && !corpus.empty();
  litescope::fuzz::Rng rng(seed);
  std::vector<uint8_t> buffer;
  for (size_t next = 0; mutate; next = (next + 1) % corpus.size()) {
    if (runs > 0 && mutants >= runs) break;
    if (max_total_time > 0 && elapsed_s() >= static_cast<double>(max_total_time)) break;
    const std::vector<uint8_t>& base = corpus[next];
    const size_t max_size = std::max<size_t>(base.size() * 2, 64 * 1024);
    buffer.assign(max_size, 0);
    std::copy(base.begin(), base.end(), buffer.begin());
    size_t size = base.size();
    const uint64_t steps = 1 + rng.Below(4);
    for (uint64_t s = 0; s < steps; ++s) {
      const auto mseed = static_cast<unsigned int>(rng.Next());
      size = LLVMFuzzerCustomMutator ? LLVMFuzzerCustomMutator(buffer.data(), size, max_size, mseed)
                                     : LLVMFuzzerMutate(buffer.data(), size, max_size);
    }
    // The target sees an exactly sized copy, so reads past the end are caught.
    std::vector<uint8_t> input(buffer.begin(), buffer.begin() + static_cast<long>(size));
    g_current_file = files[next].c_str();
    g_mutant = input.data();
    g_mutant_size = input.size();
    if (timeout > 0) alarm(static_cast<unsigned>(timeout));
    LLVMFuzzerTestOneInput(input.data(), input.size());
    alarm(0);
    g_mutant = nullptr;
    ++mutants;
  }
  std::fprintf(stderr,
               "fuzz driver: %zu corpus inputs and %ld mutants (seed %lu) in %.1f s, "
               "no failure\n",
               corpus.size(), mutants, seed, elapsed_s());
  return 0;
}

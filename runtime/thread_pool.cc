#include "runtime/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <exception>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace litescope::runtime {
namespace {

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polls `done` for up to ThreadPool::kSpinMicros; true when it became true.
template <typename Pred>
bool SpinUntil(const Pred& done) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline =
      Clock::now() + std::chrono::microseconds(ThreadPool::kSpinMicros);
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      CpuRelax();
    }
    if (Clock::now() >= deadline) return done();
  }
}

}  // namespace

ThreadPool::ThreadPool(int num_threads) : num_threads_(std::max(1, num_threads)) {
  for (int i = 1; i < num_threads_; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true, std::memory_order_release);
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::ParallelFor(int64_t n, int64_t min_chunk,
                             const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  min_chunk = std::max<int64_t>(1, min_chunk);
  int64_t parts = std::min<int64_t>(num_threads_, (n + min_chunk - 1) / min_chunk);
  if (parts <= 1) {
    fn(0, n);
    return;
  }
  std::pair<int64_t, int64_t> mine;
  {
    std::lock_guard<std::mutex> lock(mu_);
    chunks_.clear();
    for (int64_t p = 0; p < parts; ++p) chunks_.emplace_back(n * p / parts, n * (p + 1) / parts);
    mine = chunks_[0];
    fn_ = &fn;
    pending_.store(static_cast<int>(parts) - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  work_cv_.notify_all();  // no system call when every worker is still spinning
  std::exception_ptr mine_error;
  try {
    fn(mine.first, mine.second);
  } catch (...) {
    mine_error = std::current_exception();  // rethrown once the workers no longer use fn
  }
  auto all_done = [this] { return pending_.load(std::memory_order_acquire) == 0; };
  if (!SpinUntil(all_done)) {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, all_done);
  }
  std::exception_ptr worker_error;
  {
    std::lock_guard<std::mutex> lock(mu_);
    worker_error = std::move(error_);
    error_ = nullptr;
  }
  if (mine_error) std::rethrow_exception(mine_error);
  if (worker_error) std::rethrow_exception(worker_error);
}

void ThreadPool::WorkerLoop(int worker) {
  uint64_t seen = 0;
  for (;;) {
    auto has_work = [&] {
      return stop_.load(std::memory_order_acquire) ||
             generation_.load(std::memory_order_acquire) != seen;
    };
    SpinUntil(has_work);
    std::pair<int64_t, int64_t> chunk;
    const std::function<void(int64_t, int64_t)>* fn = nullptr;
    {
      // Chunks are read under the lock: a worker left out of one loop may still be looking
      // when the caller writes the next one.
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, has_work);
      if (stop_.load(std::memory_order_relaxed)) return;
      seen = generation_.load(std::memory_order_relaxed);
      if (static_cast<size_t>(worker) >= chunks_.size()) continue;
      chunk = chunks_[static_cast<size_t>(worker)];
      fn = fn_;
    }
    try {
      (*fn)(chunk.first, chunk.second);
    } catch (...) {
      // Handed to the caller of ParallelFor (the first one wins); a worker never dies.
      std::lock_guard<std::mutex> lock(mu_);
      if (!error_) error_ = std::current_exception();
    }
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      // The last one wakes the caller if it went to sleep; taking the lock first means the
      // caller is either before its check (and sees 0) or inside wait (and gets the notify).
      std::lock_guard<std::mutex> lock(mu_);
      done_cv_.notify_one();
    }
  }
}

}  // namespace litescope::runtime

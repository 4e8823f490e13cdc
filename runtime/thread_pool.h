#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace litescope::runtime {

// A fixed set of worker threads that run ParallelFor loops. The calling thread takes part, so a
// pool of N threads starts N-1 workers; with 1 thread everything runs inline. Not reentrant:
// one ParallelFor at a time (kernels call it from Eval, which the interpreter serializes).
//
// Waking a sleeping thread costs tens of microseconds, as much as a small op takes, so both
// sides spin for a short while (kSpinMicros) before they sleep: a worker waiting for the next
// loop, and the caller waiting for the workers. Back-to-back ops then hand work over without
// a system call; an idle pool still sleeps.
class ThreadPool {
 public:
  explicit ThreadPool(int num_threads = 1);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return num_threads_; }

  // Splits [0, n) into at most num_threads() contiguous chunks of at least `min_chunk` items and
  // calls fn(begin, end) for each; returns when all are done. An exception thrown by fn, on any
  // thread, is rethrown here once every chunk has finished (the first one, if several threw).
  void ParallelFor(int64_t n, int64_t min_chunk,
                   const std::function<void(int64_t begin, int64_t end)>& fn);

  // How long a thread polls before it sleeps.
  static constexpr int64_t kSpinMicros = 100;

 private:
  void WorkerLoop(int worker);

  int num_threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex mu_;  // guards fn_ and chunks_; generation_ and stop_ change only while it is held
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
  std::vector<std::pair<int64_t, int64_t>> chunks_;
  std::exception_ptr error_;  // guarded by mu_: the first exception a worker's chunk threw
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace litescope::runtime

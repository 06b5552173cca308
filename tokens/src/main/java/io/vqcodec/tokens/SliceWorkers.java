package io.vqcodec.tokens;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that code slices in parallel. Slices are independent (Spec §5.1: each is coded with
 * nothing but its own rows), so every payload and every decoded token is the same whatever the
 * thread count or order. The count is the number of available processors, or the system property
 * {@code vqcodec.threads}; with one thread every slice is coded on the caller's thread.
 */
final class SliceWorkers {
  static final int THREADS = threads();

  private static ExecutorService pool;

  private SliceWorkers() {}

  /** Runs {@code work} on a worker, or now on this thread when there is only one. */
  static <T> Future<T> submit(Callable<T> work) {
    if (THREADS == 1) {
      FutureTask<T> now = new FutureTask<>(work);
      now.run();
      return now;
    }
    return pool().submit(work);
  }

  private static synchronized ExecutorService pool() {
    if (pool == null) {
      AtomicInteger n = new AtomicInteger();
      pool =
          Executors.newFixedThreadPool(
              THREADS,
              r -> {
                Thread t = new Thread(r, "vqcodec-slices-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return pool;
  }

  private static int threads() {
    int cores = Runtime.getRuntime().availableProcessors();
    String p = System.getProperty("vqcodec.threads");
    if (p == null) return cores;
    try {
      return Math.max(1, Math.min(256, Integer.parseInt(p.trim())));
    } catch (NumberFormatException e) {
      return cores;
    }
  }
}

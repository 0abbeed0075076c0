package modelc.runtime.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads for splitting a training step across cores: {@link #run} hands task
 * {@code w} to thread {@code w} (task 0 runs on the caller) and returns when all are done. Threads
 * spin briefly before parking, because a step hands off work once and a park/unpark round trip
 * costs tens of microseconds. Which thread runs which task is fixed, so results do not depend on
 * scheduling.
 */
public final class Workers implements AutoCloseable {
    private static final int SPINS = 1 << 14;

    private final Thread[] threads;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile int tasks;
    private volatile IntConsumer body;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile Thread caller;

    public Workers(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = new Thread[threads - 1];
        for (int i = 0; i < this.threads.length; i++) {
            int w = i + 1;
            Thread t = new Thread(() -> loop(w), "modelc-worker-" + w);
            t.setDaemon(true);
            this.threads[i] = t;
            t.start();
        }
    }

    public int threads() {
        return threads.length + 1;
    }

    /** Runs {@code body.accept(w)} for w in [0, n), n ≤ threads(), task 0 on the calling thread. */
    public void run(int n, IntConsumer body) {
        if (n > threads()) throw new IllegalArgumentException(n + " tasks for " + threads() + " threads");
        if (n == 1) {
            body.accept(0);
            return;
        }
        this.body = body;
        this.tasks = n;
        this.failure = null;
        caller = Thread.currentThread();
        pending.set(n - 1);
        generation++;
        for (int i = 0; i < n - 1; i++) LockSupport.unpark(threads[i]);
        Throwable mine = null;
        try {
            body.accept(0);
        } catch (Throwable t) {
            mine = t;
        }
        for (int spins = 0; pending.get() > 0; spins++) {
            if (spins < SPINS) Thread.onSpinWait();
            else LockSupport.parkNanos(this, 50_000);
        }
        this.body = null;
        Throwable f = mine != null ? mine : failure;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error e) throw e;
        if (f != null) throw new IllegalStateException(f);
    }

    private void loop(int w) {
        long seen = 0;
        while (!closed) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (spins++ < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            if (w < tasks) {
                try {
                    body.accept(w);
                } catch (Throwable t) {
                    failure = t;
                }
                if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) LockSupport.unpark(t);
    }
}

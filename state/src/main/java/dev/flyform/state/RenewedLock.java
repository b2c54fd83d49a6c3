package dev.flyform.state;

import dev.flyform.engine.state.StateLock;

import java.time.Duration;

/**
 * A held state lock whose lease a daemon thread renews, every third of it, until the lock is
 * closed; each store says how to renew and how to release it, under its own monitor.
 */
public abstract class RenewedLock implements StateLock {

    private final String holder;
    private final String lockId;
    private final String tookOverFrom;
    private final Object monitor;
    private final Thread renewer;

    /** @param monitor what the store's calls synchronise on: a renewal never runs inside one of them */
    protected RenewedLock(String holder, String lockId, String tookOverFrom, Duration lease, Object monitor) {
        this.holder = holder;
        this.lockId = lockId;
        this.tookOverFrom = tookOverFrom;
        this.monitor = monitor;
        long every = Math.max(10, lease.toMillis() / 3);
        this.renewer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (monitor) {
                    renew();
                }
            }
        }, "flyform-state-lease");
        renewer.setDaemon(true);
        renewer.start();
    }

    /** Pushes the lease's end on, if the lock is still this one; a failure is left for the next write to find. */
    protected abstract void renew();

    /** Frees the lock, if it is still this one. */
    protected abstract void release();

    /** Stops renewing, leaving the lock as it is: what a run killed while holding it leaves behind. */
    public void stopRenewing() {
        renewer.interrupt();
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public String id() {
        return lockId;
    }

    @Override
    public String tookOverFrom() {
        return tookOverFrom;
    }

    @Override
    public void close() {
        renewer.interrupt();
        synchronized (monitor) {
            release();
        }
    }
}

package dev.flyform.engine.apply;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.Intent;
import dev.flyform.engine.state.ResourceState;

import java.util.List;

/**
 * Hears each change as apply makes it. One interface serves both the state writer (which must
 * persist every change before the next begins) and the progress display.
 */
public interface ApplyListener {

    default void starting(ResourceChange change, boolean deleting) {
    }

    /** A create is about to be sent: record the intent durably before returning. */
    default void intending(ResourceChange change, Intent intent) {
    }

    /** The intent's create certainly made nothing. */
    default void abandoned(Intent intent) {
    }

    /** The object now exists as {@code newState}. */
    default void created(ResourceChange change, ResourceState newState) {
    }

    /** The object is gone. */
    default void deleted(ResourceChange change) {
    }

    default void failed(ResourceChange change, List<Diagnostic> diagnostics) {
    }

    /**
     * Before a replacement that is made first: the old object moves to {@code at}, where it stays
     * until it is deleted.
     */
    default void deposed(ResourceChange change, ResourceAddress at) {
    }

    /** A change in flight is waiting for something outside flyform (another client's lease, say). */
    default void waiting(ResourceChange change, String what) {
    }

    /**
     * An update that rolls out is starting: {@code position} of {@code total} updates of objects
     * sharing {@code parent}, {@code atOnce} at a time.
     */
    default void rolling(ResourceChange change, int position, int total, String parent, int atOnce) {
    }

    /** The object vanished outside flyform and is no longer declared: only the state still names it. */
    default void forgotten(ResourceAddress address) {
    }

    /** Needs no change, but Fly's own values of it moved on (a certificate issued): recorded as read. */
    default void refreshed(ResourceChange change, ResourceState current) {
    }

    /** Listeners in order: state first, so the display never claims what was not recorded. */
    static ApplyListener all(ApplyListener... listeners) {
        return new ApplyListener() {
            @Override
            public void starting(ResourceChange change, boolean deleting) {
                for (ApplyListener l : listeners) {
                    l.starting(change, deleting);
                }
            }

            @Override
            public void rolling(ResourceChange change, int position, int total, String parent, int atOnce) {
                for (ApplyListener l : listeners) {
                    l.rolling(change, position, total, parent, atOnce);
                }
            }

            @Override
            public void intending(ResourceChange change, Intent intent) {
                for (ApplyListener l : listeners) {
                    l.intending(change, intent);
                }
            }

            @Override
            public void abandoned(Intent intent) {
                for (ApplyListener l : listeners) {
                    l.abandoned(intent);
                }
            }

            @Override
            public void created(ResourceChange change, ResourceState newState) {
                for (ApplyListener l : listeners) {
                    l.created(change, newState);
                }
            }

            @Override
            public void deleted(ResourceChange change) {
                for (ApplyListener l : listeners) {
                    l.deleted(change);
                }
            }

            @Override
            public void failed(ResourceChange change, List<Diagnostic> diagnostics) {
                for (ApplyListener l : listeners) {
                    l.failed(change, diagnostics);
                }
            }

            @Override
            public void deposed(ResourceChange change, ResourceAddress at) {
                for (ApplyListener l : listeners) {
                    l.deposed(change, at);
                }
            }

            @Override
            public void waiting(ResourceChange change, String what) {
                for (ApplyListener l : listeners) {
                    l.waiting(change, what);
                }
            }

            @Override
            public void forgotten(ResourceAddress address) {
                for (ApplyListener l : listeners) {
                    l.forgotten(address);
                }
            }

            @Override
            public void refreshed(ResourceChange change, ResourceState current) {
                for (ApplyListener l : listeners) {
                    l.refreshed(change, current);
                }
            }
        };
    }
}

package dev.ratchet.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** A request sent to a peer whose single response has not arrived yet. */
final class OutstandingCall implements Outstanding {

    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> timeout;

    @Override
    public void fail(TransportException failure) {
        cancelTimeout();
        future.completeExceptionally(failure);
    }

    void succeed(byte[] response) {
        cancelTimeout();
        future.complete(response);
    }

    private void cancelTimeout() {
        ScheduledFuture<?> scheduled = timeout;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}

package dev.bgservice.ipc.client;

import dev.bgservice.concurrent.Futures;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one call of the client. A thread that blocks on it first reads the answer off the
 * socket itself for a few microseconds ({@link Connection#lead}), which is quicker than being woken
 * by the reader thread, then parks as usual. Every future derived from it ({@code thenApply},
 * {@code thenCompose}, ...) is a {@code CallFuture} of the same call, so the futures the client
 * hands out wait this way too.
 */
final class CallFuture<T> extends CompletableFuture<T> {
  private final PendingCall call;

  CallFuture(PendingCall call) {
    this.call = Objects.requireNonNull(call, "call");
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CallFuture<>(call);
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    lead();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    lead();
    return super.get(timeout, unit);
  }

  @Override
  public T join() {
    lead();
    return super.join();
  }

  private void lead() {
    if (isDone()) {
      return;
    }
    // Null while the call waits for a connection; then the reader thread answers it.
    Connection connection = call.sentOn();
    if (connection != null) {
      connection.lead(this::isDone, Futures.spinNanos());
    }
  }
}

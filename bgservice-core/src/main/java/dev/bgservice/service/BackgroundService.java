package dev.bgservice.service;

/**
 * The one interface a user implements. The library owns the lifecycle: it creates a fresh
 * instance for every start, calls {@link #init} once, then {@link #run} until the run returns,
 * fails or is cancelled through {@link ServiceContext#shutdown()}.
 *
 * <pre>{@code
 * public final class Syncer implements BackgroundService {
 *   public void run(ServiceContext ctx) throws Exception {
 *     while (!ctx.shutdown().isCancelled()) {
 *       ctx.events().emit("synced", Map.of("files", syncOnce()));
 *       ctx.shutdown().await(Duration.ofSeconds(30));
 *     }
 *   }
 * }
 * }</pre>
 */
public interface BackgroundService {

  /**
   * Prepares the run. A failure here ends the run with an {@code error} event and is reported
   * to a caller that waited for the start. Runs on the run's own thread; should honour the
   * shutdown token when it blocks. The default does nothing.
   *
   * @throws Exception to fail the start; the message reaches the caller and the event stream
   */
  default void init(ServiceContext context) throws Exception {}

  /**
   * Does the work until finished or cancelled. Returning normally after a cancel is a clean
   * stop; returning without a cancel means the task completed ({@code taskCompleted}).
   *
   * @throws Exception to fail the run; reported as an {@code error} event with its message
   */
  void run(ServiceContext context) throws Exception;
}

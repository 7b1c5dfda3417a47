package dev.bgservice.ipc.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.client.ServiceClient;
import dev.bgservice.client.StartOptions;
import dev.bgservice.concurrent.Futures;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.status.StatusJson;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one request on the engine and turns the outcome into its {@link Response}: the
 * adapter from the wire to {@link ServiceClient}. {@code hello} is not handled here, since it
 * concerns the connection rather than the service.
 *
 * <p>The returned futures never fail: a failure of the engine becomes an {@code ok:false} response
 * with the failure's code and message, so {@code start} while running answers {@code Service is
 * already running} with code {@code already_running}, as the base protocol does.
 */
final class RequestDispatcher {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ServiceClient engine;

  RequestDispatcher(ServiceClient engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /**
   * Starts {@code request} on the engine. The answer does not carry the request's id yet.
   *
   * @throws IllegalArgumentException for a {@code hello}
   */
  CompletableFuture<Response> dispatch(Request request) {
    if (request instanceof Request.Hello) {
      throw new IllegalArgumentException("hello is answered by the connection");
    }
    CompletableFuture<Response> answer;
    try {
      answer = call(request);
    } catch (RuntimeException e) {
      // An engine should fail its future rather than throw; treat both alike.
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (response, failure) -> failure == null ? response : failure(request, failure));
  }

  private CompletableFuture<Response> call(Request request) {
    if (request instanceof Request.Start) {
      Request.Start start = (Request.Start) request;
      StartOptions options =
          start.waitForInit() ? StartOptions.DEFAULT.withWaitForInit() : StartOptions.DEFAULT;
      return engine.startAsync(start.config(), options).thenApply(done -> Response.success());
    } else if (request instanceof Request.Stop) {
      Request.Stop stop = (Request.Stop) request;
      Optional<Duration> timeout =
          stop.timeoutMs().isPresent()
              ? Optional.of(Duration.ofMillis(stop.timeoutMs().getAsLong()))
              : Optional.empty();
      return engine.stopAsync(timeout).thenApply(done -> Response.success());
    } else if (request instanceof Request.IsRunning) {
      return engine
          .isRunningAsync()
          .thenApply(running -> Response.success(NODES.objectNode().put("running", running)));
    } else if (request instanceof Request.GetState) {
      return engine
          .getStateAsync()
          .thenApply(status -> Response.success(StatusJson.toJson(status)));
    } else if (request instanceof Request.EnableAutoRestart) {
      return engine
          .enableAutoRestartAsync(((Request.EnableAutoRestart) request).config())
          .thenApply(done -> Response.success());
    } else if (request instanceof Request.DisableAutoRestart) {
      return engine.disableAutoRestartAsync().thenApply(done -> Response.success());
    } else if (request instanceof Request.GetDesiredState) {
      // Nothing persisted yet: ok without data, as the base protocol answers.
      return engine
          .getDesiredStateAsync()
          .thenApply(
              desired ->
                  desired
                      .map(state -> Response.success(StatusJson.toJson(state)))
                      .orElseGet(Response::success));
    } else if (request instanceof Request.ValidateSetup) {
      return engine
          .validateSetupAsync()
          .thenApply(report -> Response.success(StatusJson.toJson(report)));
    } else if (request instanceof Request.GetLifecycleStatus) {
      return engine
          .getLifecycleStatusAsync()
          .thenApply(status -> Response.success(StatusJson.toJson(status)));
    }
    return CompletableFuture.completedFuture(
        Response.failure(
            ErrorCode.UNSUPPORTED,
            "The sidecar does not support " + request.type() + " requests."));
  }

  /**
   * The answer for a failed call: the library exception's code and message, else {@code internal}.
   */
  static Response failure(Request request, Throwable failure) {
    RuntimeException cause = Futures.unwrap(failure);
    if (cause instanceof BgServiceException) {
      BgServiceException known = (BgServiceException) cause;
      if (known.code().equals(ErrorCode.INTERNAL)) {
        log.warn("{} request failed: {}", request.type(), known.getMessage(), known);
      }
      return Response.failure(known);
    }
    log.warn("{} request failed unexpectedly", request.type(), cause);
    String message = cause.getMessage();
    return Response.failure(
        ErrorCode.INTERNAL,
        "The sidecar failed to handle the "
            + request.type()
            + " request"
            + (message == null || message.isBlank() ? "." : ": " + message));
  }
}

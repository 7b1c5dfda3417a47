package dev.bgservice.ipc.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.error.NotRunningException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The sidecar's answer to one request (PROTOCOL.md A.4): {@code {"kind":"response", "ok", "data"?,
 * "error"?, "code"?}} plus, in version 2, the request's {@code id}.
 *
 * <p>Immutable: {@code data} is copied on the way in and on the way out.
 *
 * @param id the id of the request this answers, if it had one
 * @param ok whether the request succeeded
 * @param data the result, if any (a JSON {@code null} counts as none)
 * @param error the error text of a failure
 * @param code the stable error code of a failure
 */
public record Response(
    OptionalLong id,
    boolean ok,
    Optional<JsonNode> data,
    Optional<String> error,
    Optional<ErrorCode> code)
    implements Message {

  /** Checks the components are present and copies {@code data}. */
  public Response {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(code, "code");
    data = data.filter(node -> !node.isNull() && !node.isMissingNode()).map(JsonNode::deepCopy);
  }

  /** A success without data. */
  public static Response success() {
    return new Response(
        OptionalLong.empty(), true, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A success carrying {@code data}. */
  public static Response success(JsonNode data) {
    return new Response(
        OptionalLong.empty(), true, Optional.of(data), Optional.empty(), Optional.empty());
  }

  /** A failure with an error code and a message for a person. */
  public static Response failure(ErrorCode code, String error) {
    return new Response(
        OptionalLong.empty(),
        false,
        Optional.empty(),
        Optional.of(Objects.requireNonNull(error, "error")),
        Optional.of(code));
  }

  /** The failure an exception describes: its code and its message. */
  public static Response failure(BgServiceException exception) {
    return failure(exception.code(), exception.getMessage());
  }

  /** This response answering the request with the given id (or none). */
  public Response withId(OptionalLong id) {
    return new Response(id, ok, data, error, code);
  }

  /** A copy of the data; changing it does not change this response. */
  @Override
  public Optional<JsonNode> data() {
    return data.map(JsonNode::deepCopy);
  }

  @Override
  public String kind() {
    return "response";
  }

  /**
   * The exception a caller should see for this failed response: the most specific type for its
   * code. A base-protocol peer sends no code; its two known error texts map to {@code
   * already_running} and {@code not_running}, anything else to {@code internal}.
   *
   * @throws IllegalStateException if this response is a success
   */
  public BgServiceException toException() {
    if (ok) {
      throw new IllegalStateException("response is a success");
    }
    String message = error.orElse("The sidecar reported a failure without a message.");
    ErrorCode effective =
        code.orElseGet(
            () -> {
              if (message.equals(AlreadyRunningException.MESSAGE)) {
                return ErrorCode.ALREADY_RUNNING;
              } else if (message.equals(NotRunningException.MESSAGE)) {
                return ErrorCode.NOT_RUNNING;
              }
              return ErrorCode.INTERNAL;
            });
    return BgServiceException.fromCode(effective, message);
  }
}

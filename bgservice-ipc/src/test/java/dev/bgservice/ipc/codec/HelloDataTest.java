package dev.bgservice.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgservice.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The data of hello responses, through a real encode and decode of the response. */
class HelloDataTest {

  @Test
  void baseHelloDataIsTheVersionOnly() {
    Response response = Response.success(HelloData.base(2).toJson());
    assertThat(new String(MessageCodec.encode(response), StandardCharsets.UTF_8))
        .isEqualTo("{\"kind\":\"response\",\"ok\":true,\"data\":{\"version\":2}}");
    Response decoded = (Response) MessageCodec.decode(MessageCodec.encode(response));
    assertThat(HelloData.fromJson(decoded.data())).isEqualTo(HelloData.base(2));
  }

  @Test
  void resumableHelloDataRoundTrips() {
    HelloData data = HelloData.resumable(2, "inst-7", 41, MessageCodecTest.status());
    Response decoded =
        (Response) MessageCodec.decode(MessageCodec.encode(Response.success(data.toJson())));
    assertThat(HelloData.fromJson(decoded.data())).isEqualTo(data);
  }

  @Test
  void missingDataOrVersionMeansVersionZero() throws Exception {
    assertThat(HelloData.fromJson(Optional.empty()).version()).isZero();
    assertThat(HelloData.fromJson(Optional.of(new ObjectMapper().readTree("{}"))).version())
        .isZero();
  }

  @Test
  void wrongTypesAreRefusedNamingTheField() throws Exception {
    CodecException e =
        catchThrowableOfType(
            CodecException.class,
            () ->
                HelloData.fromJson(
                    Optional.of(new ObjectMapper().readTree("{\"version\":2,\"seq\":\"x\"}"))));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e).hasMessageContaining("hello data.seq must be an integer");
  }
}

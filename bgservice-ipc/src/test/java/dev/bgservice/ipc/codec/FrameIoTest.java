package dev.bgservice.ipc.codec;

import static dev.bgservice.ipc.codec.VectorsTest.bytes;
import static dev.bgservice.ipc.codec.VectorsTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bgservice.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Frame reading and writing over channels that move a few bytes at a time. */
class FrameIoTest {

  @Test
  void readsFramesDeliveredOneByteAtATime() throws IOException {
    byte[] first = utf8("{\"kind\":\"request\",\"type\":\"stop\"}");
    byte[] second = utf8("{\"kind\":\"event\",\"type\":\"stopped\",\"reason\":\"userStop\"}");
    Channels.Source source = Channels.source(concat(frame(first), frame(second)), 1);
    FrameReader reader = new FrameReader(source);

    assertThat(reader.readFrame()).hasValueSatisfying(p -> assertThat(p).isEqualTo(first));
    assertThat(reader.readFrame()).hasValueSatisfying(p -> assertThat(p).isEqualTo(second));
    assertThat(reader.readFrame()).isEmpty();
    assertThat(source.reads()).isGreaterThan(first.length + second.length);
  }

  @Test
  void readsExactlyOneFrameAndNoMore() throws IOException {
    byte[] payload = utf8("{\"kind\":\"event\",\"type\":\"started\"}");
    byte[] stream = concat(frame(payload), new byte[] {1, 2, 3});
    Channels.Source source = Channels.source(stream, stream.length);

    assertThat(new FrameReader(source).readFrame()).isPresent();
    assertThat(source.consumed()).isEqualTo(Frames.HEADER_LENGTH + payload.length);
  }

  @Test
  void cleanEndOfStreamBeforeAFrameIsEmpty() throws IOException {
    assertThat(new FrameReader(Channels.source(new byte[0], 1)).readFrame()).isEmpty();
  }

  @Test
  void endOfStreamInsideTheLengthIsMalformed() {
    CodecException e =
        catchThrowableOfType(
            CodecException.class,
            () -> new FrameReader(Channels.source(new byte[] {0, 0}, 1)).readFrame());
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    assertThat(e.framingIntact()).isFalse();
    assertThat(e).hasMessageContaining("2 of 4 length bytes");
  }

  @Test
  void endOfStreamInsideThePayloadIsMalformed() {
    byte[] whole = frame(utf8("{\"kind\":\"request\",\"type\":\"stop\"}"));
    byte[] cut = Arrays.copyOf(whole, whole.length - 3);
    CodecException e =
        catchThrowableOfType(
            CodecException.class, () -> new FrameReader(Channels.source(cut, 2)).readFrame());
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    assertThat(e.framingIntact()).isFalse();
    assertThat(e).hasMessageContaining("payload bytes");
  }

  @Test
  void writesWholeFramesThroughPartialWrites() throws IOException {
    Channels.Sink sink = Channels.sink(3);
    FrameWriter writer = new FrameWriter(sink);
    Message stop = new Request.Stop();
    Message started = new Event.Started();

    writer.write(stop);
    writer.write(started);

    byte[] expected = concat(frame(MessageCodec.encode(stop)), frame(MessageCodec.encode(started)));
    assertThat(sink.bytes()).isEqualTo(expected);
    assertThat(sink.writes()).isGreaterThanOrEqualTo(expected.length / 3);
  }

  @Test
  void oneEncodedFrameCanBeWrittenToManyChannels() throws IOException {
    ByteBuffer frame = MessageCodec.encodeFrame(new Event.Stopped("userStop"));
    int position = frame.position();
    Channels.Sink a = Channels.sink(1);
    Channels.Sink b = Channels.sink(7);

    new FrameWriter(a).writeFrame(frame);
    new FrameWriter(b).writeFrame(frame);

    assertThat(a.bytes()).isEqualTo(bytes(frame)).isEqualTo(b.bytes());
    assertThat(frame.position()).isEqualTo(position);
    assertThat(frame.isReadOnly()).isTrue();
  }

  @Test
  void writingAnEmptyPayloadIsRefused() {
    CodecException e =
        catchThrowableOfType(
            CodecException.class,
            () -> new FrameWriter(Channels.sink(8)).writePayload(new byte[0]));
    assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void lengthChecksAcceptTheWholeRange() {
    assertThat(Frames.checkPayloadLength(1)).isEqualTo(1);
    assertThat(Frames.checkPayloadLength(Frames.MAX_PAYLOAD_LENGTH)).isEqualTo(16 * 1024 * 1024);
    assertThatThrownBy(() -> Frames.checkPayloadLength(Frames.MAX_PAYLOAD_LENGTH + 1L))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("16777217")
        .hasMessageContaining("16777216");
    assertThatThrownBy(() -> Frames.checkPayloadLength(0))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("0");
  }

  @Test
  void aFrameOfExactlyTheLimitIsAccepted() throws IOException {
    String prefix = "{\"kind\":\"response\",\"ok\":true,\"data\":\"";
    String suffix = "\"}";
    int fill = Frames.MAX_PAYLOAD_LENGTH - prefix.length() - suffix.length();
    byte[] payload = new byte[Frames.MAX_PAYLOAD_LENGTH];
    System.arraycopy(utf8(prefix), 0, payload, 0, prefix.length());
    Arrays.fill(payload, prefix.length(), prefix.length() + fill, (byte) 'x');
    System.arraycopy(utf8(suffix), 0, payload, payload.length - suffix.length(), suffix.length());

    Channels.Sink sink = Channels.sink(1 << 20);
    new FrameWriter(sink).writePayload(payload);

    Optional<byte[]> read = new FrameReader(Channels.source(sink.bytes(), 1 << 16)).readFrame();
    assertThat(read).isPresent();
    assertThat(read.get().length).isEqualTo(Frames.MAX_PAYLOAD_LENGTH);
    Response response = (Response) MessageCodec.decode(read.get());
    assertThat(response.data().orElseThrow().textValue()).hasSize(fill);
    assertThat(MessageCodec.encodeFrame(response).remaining())
        .isEqualTo(Frames.HEADER_LENGTH + Frames.MAX_PAYLOAD_LENGTH);
  }

  @Test
  void encodingAMessageAboveTheLimitIsRefused() {
    Response huge =
        Response.success(
            com.fasterxml.jackson.databind.node.TextNode.valueOf(
                "y".repeat(Frames.MAX_PAYLOAD_LENGTH)));
    CodecException e =
        catchThrowableOfType(CodecException.class, () -> MessageCodec.encodeFrame(huge));
    assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    assertThat(e).hasMessageContaining("above the frame limit");
  }

  static byte[] frame(byte[] payload) {
    return bytes(Frames.frame(payload));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package dev.bgservice.ipc.codec;

import static dev.bgservice.ipc.codec.VectorsTest.bytes;
import static dev.bgservice.ipc.codec.VectorsTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bgservice.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
  void readsAheadNoFurtherThanItsBuffer() throws IOException {
    byte[] payload = utf8("{\"kind\":\"event\",\"type\":\"started\"}");
    byte[] stream = concat(frame(payload), new byte[3 * FrameReader.BUFFER_SIZE]);
    Channels.Source source = Channels.source(stream, stream.length);

    assertThat(new FrameReader(source).readFrame()).hasValueSatisfying(
        p -> assertThat(p).isEqualTo(payload));
    assertThat(source.consumed()).isLessThanOrEqualTo(FrameReader.BUFFER_SIZE);
  }

  @Test
  void readsFramesSplitAtEveryByteBoundary() throws IOException {
    List<byte[]> payloads = payloads(3, 40);
    byte[] stream = frames(payloads);
    for (int bufferSize : new int[] {Frames.HEADER_LENGTH, 7, 32, FrameReader.BUFFER_SIZE}) {
      for (int split = 1; split < stream.length; split++) {
        FrameReader reader =
            new FrameReader(Channels.chunked(stream, split, stream.length), bufferSize);
        assertThat(readAll(reader))
            .as("buffer %d, split at %d", bufferSize, split)
            .containsExactlyElementsOf(payloads);
      }
      for (int chunk = 1; chunk <= stream.length; chunk++) {
        FrameReader reader = new FrameReader(Channels.source(stream, chunk), bufferSize);
        assertThat(readAll(reader))
            .as("buffer %d, chunks of %d", bufferSize, chunk)
            .containsExactlyElementsOf(payloads);
      }
    }
  }

  @Test
  void manyFramesArriveInOneRead() throws IOException {
    List<byte[]> payloads = payloads(300, 20);
    byte[] stream = frames(payloads);
    assertThat(stream.length).isLessThan(FrameReader.BUFFER_SIZE);
    Channels.Source source = Channels.source(stream, stream.length);
    FrameReader reader = new FrameReader(source);

    for (byte[] payload : payloads) {
      assertThat(reader.readFrame()).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
    }
    assertThat(source.reads()).isEqualTo(1);
    assertThat(reader.readFrame()).isEmpty();
  }

  @Test
  void aFrameAlreadyBufferedIsReturnedWithoutReadingAgain() throws IOException {
    List<byte[]> payloads = payloads(2, 10);
    // A live source fails on a read past its data, where a socket would block for the next frame.
    FrameReader reader = new FrameReader(Channels.live(frames(payloads), Integer.MAX_VALUE));

    for (byte[] payload : payloads) {
      assertThat(reader.readFrame()).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
    }
  }

  @Test
  void bytesOfAFurtherFrameAlreadyReadShowThatThePeerSentMore() throws IOException {
    List<byte[]> payloads = payloads(2, 10);
    FrameReader reader = new FrameReader(Channels.live(frames(payloads), Integer.MAX_VALUE));

    reader.readFrame();
    assertThat(reader.hasBufferedBytes()).isTrue();
    reader.readFrame();
    assertThat(reader.hasBufferedBytes()).isFalse();
  }

  @Test
  void aFrameLargerThanTheBufferIsReadWhole() throws IOException {
    byte[] big = new byte[5000];
    Arrays.fill(big, (byte) 'x');
    List<byte[]> payloads = List.of(utf8("{}"), big, utf8("{\"a\":1}"));
    byte[] stream = frames(payloads);
    for (int chunk : new int[] {1, 13, 4096, stream.length}) {
      FrameReader reader = new FrameReader(Channels.source(stream, chunk), 64);
      assertThat(readAll(reader)).as("chunks of %d", chunk).containsExactlyElementsOf(payloads);
    }
  }

  @Test
  void aNonBlockingChannelIsReadInSteps() throws IOException {
    byte[] big = new byte[5000];
    Arrays.fill(big, (byte) 'x');
    List<byte[]> payloads = new ArrayList<>(payloads(5, 30));
    payloads.add(2, big);
    byte[] stream = frames(payloads);
    for (int bufferSize : new int[] {Frames.HEADER_LENGTH, 7, 64, FrameReader.BUFFER_SIZE}) {
      for (int chunk : new int[] {1, 13, 4096, stream.length}) {
        FrameReader reader = new FrameReader(Channels.nonBlocking(stream, chunk), bufferSize);
        List<byte[]> read = new ArrayList<>();
        int emptyReads = 0;
        while (true) {
          Optional<byte[]> frame = reader.nextBufferedFrame();
          if (frame.isPresent()) {
            read.add(frame.get());
            continue;
          }
          int n = reader.fill();
          if (n < 0) {
            reader.checkCleanEnd();
            break;
          }
          emptyReads += n == 0 ? 1 : 0;
        }
        assertThat(read).as("buffer %d, chunks of %d", bufferSize, chunk)
            .containsExactlyElementsOf(payloads);
        assertThat(emptyReads).isPositive();
      }
    }
  }

  @Test
  void aNonBlockingStreamEndingInsideAFrameIsMalformed() throws IOException {
    byte[] payload = utf8("{\"kind\":\"event\",\"type\":\"started\"}");
    byte[] cut = Arrays.copyOf(frame(payload), 10);
    for (int bufferSize : new int[] {FrameReader.BUFFER_SIZE, 8}) {
      FrameReader reader = new FrameReader(Channels.nonBlocking(cut, 3), bufferSize);
      while (reader.fill() >= 0) {
        assertThat(reader.nextBufferedFrame()).isEmpty();
      }
      CodecException e = catchThrowableOfType(CodecException.class, reader::checkCleanEnd);
      assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
      assertThat(e.getMessage()).contains("after 6 of " + payload.length + " payload bytes");
    }
  }

  @Test
  void readFrameRefusesANonBlockingChannelInsteadOfSpinning() {
    FrameReader reader = new FrameReader(Channels.nonBlocking(frame(utf8("{}")), 100));
    assertThatThrownBy(reader::readFrame)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("blocking mode");
  }

  @Test
  void aHostileLengthAfterAGoodFrameInTheSameReadIsRejected() throws IOException {
    byte[] payload = utf8("{\"kind\":\"event\",\"type\":\"started\"}");
    byte[] hostile = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2};
    byte[] stream = concat(frame(payload), hostile);
    FrameReader reader = new FrameReader(Channels.source(stream, stream.length));

    assertThat(reader.readFrame()).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
    CodecException e = catchThrowableOfType(CodecException.class, reader::readFrame);
    assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    assertThat(e.framingIntact()).isFalse();
  }

  @Test
  void aBufferThatCannotHoldALengthIsRefused() {
    assertThatThrownBy(() -> new FrameReader(Channels.source(new byte[0], 1), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bufferSize");
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
    byte[] payload = utf8("{\"kind\":\"request\",\"type\":\"stop\"}");
    byte[] cut = Arrays.copyOf(frame(payload), Frames.HEADER_LENGTH + payload.length - 3);
    // In the buffer, and (with a small buffer) read straight into the payload array.
    for (int bufferSize : new int[] {FrameReader.BUFFER_SIZE, 8}) {
      for (int chunk : new int[] {2, cut.length}) {
        CodecException e =
            catchThrowableOfType(
                CodecException.class,
                () -> new FrameReader(Channels.source(cut, chunk), bufferSize).readFrame());
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(e.framingIntact()).isFalse();
        assertThat(e)
            .hasMessageContaining(
                (payload.length - 3) + " of " + payload.length + " payload bytes");
      }
    }
  }

  @Test
  void endOfStreamInsideTheSecondFramesLengthIsMalformed() throws IOException {
    byte[] payload = utf8("{}");
    byte[] stream = concat(frame(payload), new byte[] {0, 0, 0});
    FrameReader reader = new FrameReader(Channels.source(stream, stream.length));

    assertThat(reader.readFrame()).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
    CodecException e = catchThrowableOfType(CodecException.class, reader::readFrame);
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    assertThat(e).hasMessageContaining("3 of 4 length bytes");
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

  /** {@code count} distinct JSON payloads of about {@code size} bytes, of different lengths. */
  private static List<byte[]> payloads(int count, int size) {
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      payloads.add(utf8("{\"i\":" + i + ",\"pad\":\"" + "p".repeat(size + i % 7) + "\"}"));
    }
    return payloads;
  }

  private static byte[] frames(List<byte[]> payloads) {
    byte[] stream = new byte[0];
    for (byte[] payload : payloads) {
      stream = concat(stream, frame(payload));
    }
    return stream;
  }

  /** Every frame until the end of the stream. */
  private static List<byte[]> readAll(FrameReader reader) throws IOException {
    List<byte[]> frames = new ArrayList<>();
    Optional<byte[]> frame;
    while ((frame = reader.readFrame()).isPresent()) {
      frames.add(frame.get());
    }
    return frames;
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

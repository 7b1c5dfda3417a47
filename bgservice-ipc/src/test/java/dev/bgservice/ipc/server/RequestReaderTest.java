package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.codec.CodecException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestReaderTest {

  @Test
  void framesArriveWholeWhateverTheChunksTheChannelDelivers() throws Exception {
    List<byte[]> payloads = new ArrayList<>();
    for (int size : new int[] {1, 5, 16, 17, 100, 40_000, 3}) {
      payloads.add(payload(size));
    }
    byte[] stream = frames(payloads);
    for (int chunk : new int[] {1, 3, 7, 64, 100_000}) {
      RequestReader reader = new RequestReader(new Source(stream, chunk), 16);
      for (byte[] expected : payloads) {
        assertThat(reader.readFrame()).hasValueSatisfying(p -> assertThat(p).isEqualTo(expected));
      }
      assertThat(reader.readFrame()).as("clean end of stream").isEmpty();
    }
  }

  @Test
  void bytesOfAFurtherFrameShowThatTheClientPipelines() throws Exception {
    byte[] two = frames(List.of(payload(10), payload(10)));
    RequestReader reader = new RequestReader(new Source(two, two.length), 1024);

    reader.readFrame();
    assertThat(reader.hasBufferedBytes()).isTrue();
    reader.readFrame();
    assertThat(reader.hasBufferedBytes()).isFalse();
  }

  @Test
  void aZeroOrOversizedLengthIsRefusedBeforeAnyPayloadIsRead() {
    for (byte[] header :
        List.of(new byte[] {0, 0, 0, 0}, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0})) {
      RequestReader reader = new RequestReader(new Source(header, 100), 16);
      assertThatThrownBy(reader::readFrame)
          .isInstanceOfSatisfying(
              CodecException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
                assertThat(e.framingIntact()).isFalse();
              });
    }
  }

  @Test
  void aStreamEndingInsideTheLengthOrThePayloadIsAMalformedFrame() {
    byte[] cutInLength = {0, 0};
    byte[] whole = frames(List.of(payload(50)));
    byte[] cutInPayload = java.util.Arrays.copyOf(whole, 30);
    for (byte[] stream : List.of(cutInLength, cutInPayload)) {
      RequestReader reader = new RequestReader(new Source(stream, 8), 16);
      assertThatThrownBy(reader::readFrame)
          .isInstanceOfSatisfying(
              CodecException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
                assertThat(e.framingIntact()).isFalse();
                assertThat(e.getMessage()).startsWith("The stream ended inside a frame");
              });
    }
  }

  private static byte[] payload(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + (i + size) % 26);
    }
    return bytes;
  }

  private static byte[] frames(List<byte[]> payloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] payload : payloads) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
      out.writeBytes(payload);
    }
    return out.toByteArray();
  }

  /** A channel over fixed bytes that returns at most {@code chunk} bytes per read. */
  private static final class Source implements ReadableByteChannel {
    private final byte[] data;
    private final int chunk;
    private int position;

    Source(byte[] data, int chunk) {
      this.data = data;
      this.chunk = chunk;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position == data.length) {
        return -1;
      }
      int n = Math.min(chunk, Math.min(dst.remaining(), data.length - position));
      dst.put(data, position, n);
      position += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}

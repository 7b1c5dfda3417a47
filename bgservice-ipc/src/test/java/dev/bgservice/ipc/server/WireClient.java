package dev.bgservice.ipc.server;

import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.FrameReader;
import dev.bgservice.ipc.codec.FrameWriter;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small blocking test client built on the codec: sends frames (or raw bytes) and reads messages.
 * Events read while waiting for a response are kept in {@link #events()}.
 */
final class WireClient implements AutoCloseable {

  private final SocketChannel channel;
  private final FrameReader reader;
  private final FrameWriter writer;
  private final List<Event> events = new ArrayList<>();
  private final List<String> eventJson = new ArrayList<>();

  private WireClient(SocketChannel channel) {
    this.channel = channel;
    this.reader = new FrameReader(channel);
    this.writer = new FrameWriter(channel);
  }

  static WireClient connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    return new WireClient(channel);
  }

  /** Connects and says hello with version 2; returns the hello answer. */
  static WireClient connectV2(Path socket) throws IOException {
    WireClient client = connect(socket);
    Response hello = client.call(new Request.Hello(2));
    if (!hello.ok()) {
      throw new AssertionError("hello failed: " + hello);
    }
    return client;
  }

  void send(Request request) throws IOException {
    writer.write(request);
  }

  void send(String json) throws IOException {
    writer.writePayload(json.getBytes(StandardCharsets.UTF_8));
  }

  void sendRaw(byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** The next frame's JSON text; empty at a clean end of stream. */
  Optional<String> readJson() throws IOException {
    return reader.readFrame().map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /** The next message. */
  Message read() throws IOException {
    Optional<byte[]> frame = reader.readFrame();
    if (frame.isEmpty()) {
      throw new EOFException("the server closed the connection");
    }
    return MessageCodec.decode(frame.get());
  }

  /** The next response, keeping the events read before it. */
  Response readResponse() throws IOException {
    return readResponseJson().response;
  }

  /** The next response and its exact JSON, keeping the events read before it. */
  Answer readResponseJson() throws IOException {
    while (true) {
      String json =
          readJson().orElseThrow(() -> new EOFException("the server closed the connection"));
      Message message = MessageCodec.decode(json.getBytes(StandardCharsets.UTF_8));
      if (message instanceof Response) {
        return new Answer((Response) message, json);
      }
      events.add((Event) message);
      eventJson.add(json);
    }
  }

  /** The next event, from those kept or from the wire; fails on a response. */
  Event readEvent() throws IOException {
    if (!events.isEmpty()) {
      eventJson.remove(0);
      return events.remove(0);
    }
    Message message = read();
    if (!(message instanceof Event)) {
      throw new AssertionError("expected an event, got " + message);
    }
    return (Event) message;
  }

  /** The next event's exact JSON, from those kept or from the wire. */
  String readEventJson() throws IOException {
    if (!eventJson.isEmpty()) {
      events.remove(0);
      return eventJson.remove(0);
    }
    String json =
        readJson().orElseThrow(() -> new EOFException("the server closed the connection"));
    Message message = MessageCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    if (!(message instanceof Event)) {
      throw new AssertionError("expected an event, got " + json);
    }
    return json;
  }

  /** Sends a request and reads the next response. */
  Response call(Request request) throws IOException {
    send(request);
    return readResponse();
  }

  /** Sends a JSON request and reads the next response's exact JSON. */
  String callJson(String json) throws IOException {
    send(json);
    return readResponseJson().json;
  }

  /**
   * Reads until the server closes the connection, returning the messages read on the way. A reset
   * counts as a close: Linux reports one when the server closed with bytes of ours unread.
   */
  List<Message> readUntilClosed() throws IOException {
    List<Message> messages = new ArrayList<>();
    while (true) {
      Optional<byte[]> frame;
      try {
        frame = reader.readFrame();
      } catch (IOException e) {
        if (String.valueOf(e.getMessage()).contains("reset")) {
          return messages;
        }
        throw e;
      }
      if (frame.isEmpty()) {
        return messages;
      }
      messages.add(MessageCodec.decode(frame.get()));
    }
  }

  /** Events read while waiting for responses and not taken yet, in order. */
  List<Event> events() {
    return List.copyOf(events);
  }

  /** Removes and returns the events read while waiting for responses. */
  List<Event> takeEvents() {
    List<Event> taken = new ArrayList<>(events);
    events.clear();
    eventJson.clear();
    return taken;
  }

  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** A response and the exact JSON it came as. */
  static final class Answer {
    final Response response;
    final String json;

    Answer(Response response, String json) {
      this.response = response;
      this.json = json;
    }
  }
}

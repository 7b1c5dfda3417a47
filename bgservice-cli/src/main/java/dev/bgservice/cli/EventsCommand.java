package dev.bgservice.cli;

import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import dev.bgservice.error.ServiceUnavailableException;
import dev.bgservice.ipc.client.PersistentIpcClient;
import dev.bgservice.ipc.client.ReconnectPolicy;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.EventConversions;
import dev.bgservice.ipc.codec.FrameReader;
import dev.bgservice.ipc.codec.FrameWriter;
import dev.bgservice.ipc.codec.HelloData;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.platform.ProductVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bgs events}: prints the events the sidecar still retains, or with {@code --follow}
 * every new event, across sidecar restarts, until interrupted. One line per event; with {@code
 * --json}, the event object as on the wire (with {@code seq}).
 */
@Command(name = "events", description = "Prints the service's events (retained ones, or --follow for live ones).")
final class EventsCommand implements Callable<Integer> {
  /** How many retained events a history listing asks for (the server keeps at least 1024). */
  private static final long HISTORY = 1000;

  @Mixin TargetOptions target = new TargetOptions();

  @Option(names = "--follow", description = "Keep printing new events; reconnects when the sidecar restarts.")
  boolean follow;

  @Option(names = "--json", description = "One JSON object per line, as on the wire.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path socket = target.socketPath();
    return follow ? follow(socket) : history(socket);
  }

  private int follow(Path socket) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch forever = new CountDownLatch(1);
    try (PersistentIpcClient client =
        ClientCommand.open(socket, Duration.ofSeconds(10), ReconnectPolicy.DEFAULT.withUnboundedRetries())) {
      client.subscribe(
          new ServiceListener() {
            @Override
            public void onEvent(ServiceEvent event) {
              out.println(format(EventConversions.toWire(event)));
              out.flush();
            }

            @Override
            public void onConnection(ConnectionEvent event) {
              err.println("bgs: " + event.state().wireName()
                  + (event.attempt() > 0 ? " (attempt " + event.attempt() + ")" : "")
                  + event.lastError().map(e -> ": " + e).orElse(""));
              err.flush();
            }
          },
          Executors.sameThread());
      forever.await(); // until Ctrl-C ends the JVM
    }
    return ExitCodes.OK;
  }

  private int history(Path socket) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    HelloData now;
    try (Connection first = Connection.open(socket)) {
      now = first.hello(new Request.Hello(ProductVersion.PROTOCOL_VERSION));
    }
    if (now.instance().isEmpty() || now.seq().isEmpty()) {
      spec.commandLine().getErr().println("bgs: this sidecar keeps no event history");
      return ExitCodes.OK;
    }
    long last = now.seq().getAsLong();
    if (last == 0) {
      return ExitCodes.OK;
    }
    try (Connection second = Connection.open(socket)) {
      second.hello(new Request.Hello(
          OptionalLong.empty(), ProductVersion.PROTOCOL_VERSION, now.instance(),
          OptionalLong.of(Math.max(0, last - HISTORY))));
      while (true) {
        Optional<Message> message = second.read();
        if (message.isEmpty()) {
          return ExitCodes.OK;
        }
        if (message.get() instanceof Event event) {
          if (event instanceof Event.Resync) {
            spec.commandLine().getErr().println("bgs: older events are no longer retained");
            return ExitCodes.OK;
          }
          out.println(format(event));
          if (event.seq().orElse(last) >= last) {
            return ExitCodes.OK;
          }
        }
      }
    }
  }

  private String format(Event event) {
    if (json) {
      return new String(MessageCodec.encode(event), StandardCharsets.UTF_8);
    }
    String when = event.ts().isPresent()
        ? Instant.ofEpochMilli(event.ts().getAsLong()).toString() : "-";
    String seq = event.seq().isPresent() ? "#" + event.seq().getAsLong() : "#?";
    String detail = new String(MessageCodec.encode(event.unnumbered()), StandardCharsets.UTF_8);
    return seq + " " + when + " " + detail;
  }

  /** A bare protocol connection, for the history listing. */
  private static final class Connection implements AutoCloseable {
    private final SocketChannel channel;
    private final FrameReader reader;
    private final FrameWriter writer;

    private Connection(SocketChannel channel) {
      this.channel = channel;
      this.reader = new FrameReader(channel);
      this.writer = new FrameWriter(channel);
    }

    static Connection open(Path socket) {
      try {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(java.net.UnixDomainSocketAddress.of(socket));
        return new Connection(channel);
      } catch (IOException e) {
        throw new ServiceUnavailableException(
            "cannot reach the sidecar at " + socket + ": " + e.getMessage(), e);
      }
    }

    HelloData hello(Request.Hello hello) throws IOException {
      writer.write(hello);
      while (true) {
        Optional<Message> message = read();
        if (message.isEmpty()) {
          throw new ServiceUnavailableException("the sidecar closed the connection", null);
        }
        if (message.get() instanceof Response response) {
          if (!response.ok()) {
            throw response.toException();
          }
          return HelloData.fromJson(response.data());
        }
      }
    }

    Optional<Message> read() throws IOException {
      Optional<byte[]> frame = reader.readFrame();
      return frame.map(MessageCodec::decode);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}

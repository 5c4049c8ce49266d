package dev.aiprof.gpu.nvml;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's pod-resources API ({@code v1.PodResourcesLister/List}) over its unix socket: which
 * pod and container each GPU is allocated to. Messages are passed as bytes and decoded by {@link
 * PodResourcesDecoder} (no generated code). One channel for the collector's life; each {@link
 * #list} has a short deadline. Thread-safe.
 */
final class PodResources implements AutoCloseable {
  static final String METHOD = "v1.PodResourcesLister/List";
  static final String GPU_RESOURCES = "nvidia.com/";
  private static final long DEADLINE_MS = 2000;

  static final MethodDescriptor<byte[], byte[]> LIST =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(METHOD)
          .setRequestMarshaller(Bytes.INSTANCE)
          .setResponseMarshaller(Bytes.INSTANCE)
          .build();

  private final Path socket;
  private final EventLoopGroup group;
  private final ManagedChannel channel;

  private PodResources(Path socket) {
    this.socket = socket;
    this.group = new EpollEventLoopGroup(1);
    this.channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(group)
            .usePlaintext()
            .build();
  }

  /** A client of {@code socket}, or null where there is no such socket (not a kubelet node). */
  static PodResources open(Path socket) {
    return Files.exists(socket) ? new PodResources(socket) : null;
  }

  /**
   * The GPU allocations now ({@code nvidia.com/*} resources).
   *
   * @throws IOException when the kubelet does not answer or the answer does not decode
   */
  List<PodResourcesDecoder.Allocation> list() throws IOException {
    try {
      byte[] answer =
          ClientCalls.blockingUnaryCall(
              channel,
              LIST,
              CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS),
              new byte[0]);
      return PodResourcesDecoder.decode(answer, GPU_RESOURCES);
    } catch (StatusRuntimeException e) {
      throw new IOException("pod-resources List on " + socket + ": " + e.getStatus(), e);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Messages as they are on the wire. */
  enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

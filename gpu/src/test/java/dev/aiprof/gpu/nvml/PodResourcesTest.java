package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod-resources client against a real gRPC server on a unix socket answering as a kubelet does
 * (a ListPodResourcesResponse shaped like one recorded from a GPU node), and the decoder on inline
 * bytes.
 */
class PodResourcesTest {
  @TempDir Path tmp;

  /** A message from (field number, value) pairs: String, byte[] (a sub-message) or Long. */
  static byte[] msg(Object... fv) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(b);
    for (int i = 0; i < fv.length; i += 2) {
      int f = (Integer) fv[i];
      switch (fv[i + 1]) {
        case String s -> o.writeString(f, s);
        case byte[] m -> o.writeBytes(f, ByteString.copyFrom(m));
        case Long l -> o.writeInt64(f, l);
        default -> throw new IllegalArgumentException();
      }
    }
    o.flush();
    return b.toByteArray();
  }

  /** Two pods: trainer-0 (GPU-1 by UUID, and CPUs), and infer-7 (GPU 0 by index, a NIC). */
  static byte[] response() throws IOException {
    byte[] trainer =
        msg(
            1, "trainer-0",
            2, "ml",
            3,
                msg(
                    1,
                    "pytorch",
                    2,
                    msg(1, "nvidia.com/gpu", 2, "GPU-1", 3, msg(1, msg(1, 0L))),
                    3,
                    4L,
                    3,
                    5L));
    byte[] infer =
        msg(
            1, "infer-7",
            2, "serving",
            3,
                msg(
                    1, "server",
                    2, msg(1, "nvidia.com/gpu", 2, "0", 2, "GPU-unknown"),
                    2, msg(1, "rdma/hca", 2, "mlx5_0")));
    byte[] idle = msg(1, "web", 2, "default", 3, msg(1, "nginx"));
    return msg(1, trainer, 1, infer, 1, idle);
  }

  @Test
  void decodesTheAllocationsOfGpuResourcesOnly() throws IOException {
    assertThat(PodResourcesDecoder.decode(response(), "nvidia.com/"))
        .containsExactly(
            new PodResourcesDecoder.Allocation(
                "ml", "trainer-0", "pytorch", "nvidia.com/gpu", "GPU-1"),
            new PodResourcesDecoder.Allocation(
                "serving", "infer-7", "server", "nvidia.com/gpu", "0"),
            new PodResourcesDecoder.Allocation(
                "serving", "infer-7", "server", "nvidia.com/gpu", "GPU-unknown"));
    assertThat(PodResourcesDecoder.decode(new byte[0], "nvidia.com/")).isEmpty();
  }

  @Test
  void theCollectorExportsWhichPodEachGpuIsAllocatedTo() throws Exception {
    Path socket = tmp.resolve("kubelet.sock");
    byte[] answer = response();
    AtomicInteger calls = new AtomicInteger();
    EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    Server server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .addService(
                ServerServiceDefinition.builder("v1.PodResourcesLister")
                    .addMethod(
                        PodResources.LIST,
                        ServerCalls.asyncUnaryCall(
                            (req, reply) -> {
                              calls.incrementAndGet();
                              reply.onNext(answer);
                              reply.onCompleted();
                            }))
                    .build())
            .build()
            .start();
    try (CollectorRun run =
        new CollectorRun(
            s -> new InMemoryNvml(2),
            Map.of("nvml.interval", "100ms", "nvml.pod-resources-socket", socket.toString()))) {
      Recorded r = run.collect();
      List<Recorded.Series> a = r.of("aiprof.gpu.allocated");
      assertThat(a)
          .extracting(
              s ->
                  s.get(GpuDevice.HW_ID)
                      + " "
                      + s.get(Allocations.NAMESPACE)
                      + "/"
                      + s.get(Allocations.POD)
                      + "/"
                      + s.get(Allocations.CONTAINER)
                      + "="
                      + s.value())
          .containsExactlyInAnyOrder(
              "GPU-1 ml/trainer-0/pytorch=1.0", "GPU-0 serving/infer-7/server=1.0");
      assertThat(r.value("aiprof.gpu.allocated.unknown")).contains(1.0);
      assertThat(r.value("aiprof.gpu.pod_resources.errors")).contains(0.0);
      assertThat(calls.get()).isEqualTo(1);
    } finally {
      server.shutdownNow().awaitTermination();
      group.shutdownGracefully().sync();
    }
  }

  @Test
  void aKubeletThatDoesNotAnswerIsCountedAndTheLastAnswerKept() throws Exception {
    Path socket = tmp.resolve("kubelet.sock");
    java.nio.file.Files.createFile(socket); // a socket file nobody listens on
    try (PodResources c = PodResources.open(socket)) {
      Allocations a = new Allocations(c, List.of());
      a.refresh();
      Recorded r = new Recorded();
      a.collect(r);
      assertThat(r.value("aiprof.gpu.pod_resources.errors")).contains(1.0);
      assertThat(a.current()).isEmpty();
    }
    assertThat(PodResources.open(tmp.resolve("none.sock"))).isNull();
  }
}

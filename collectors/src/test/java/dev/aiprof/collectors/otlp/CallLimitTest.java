package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gRPC calls-in-flight cap, on calls that the test holds open and then ends. */
class CallLimitTest {
  /** A call that records how the interceptor closed it. */
  static final class Call<Q, A> extends ServerCall<Q, A> {
    Status closed;

    @Override
    public void request(int n) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(A message) {}

    @Override
    public void close(Status status, Metadata trailers) {
      closed = status;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public Attributes getAttributes() {
      return Attributes.EMPTY;
    }

    @SuppressWarnings("unchecked")
    @Override
    public MethodDescriptor<Q, A> getMethodDescriptor() {
      return (MethodDescriptor<Q, A>) TraceServiceGrpc.getExportMethod();
    }
  }

  @Test
  void callsBeyondTheCapAreRefusedUntilOneEnds() {
    CallLimit limit = new CallLimit(3);
    ServerCallHandler<Object, Object> handler = (call, headers) -> new ServerCall.Listener<>() {};
    List<ServerCall.Listener<Object>> open = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Call<Object, Object> c = new Call<>();
      open.add(limit.interceptCall(c, new Metadata(), handler));
      assertThat(c.closed).isNull();
    }
    Call<Object, Object> fourth = new Call<>();
    limit.interceptCall(fourth, new Metadata(), handler);
    assertThat(fourth.closed.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(limit.refused.sum()).isEqualTo(1);
    open.getFirst().onComplete();
    open.getFirst().onCancel(); // released once only
    Call<Object, Object> fifth = new Call<>();
    limit.interceptCall(fifth, new Metadata(), handler);
    assertThat(fifth.closed).isNull();
    Call<Object, Object> sixth = new Call<>();
    limit.interceptCall(sixth, new Metadata(), handler);
    assertThat(sixth.closed.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }
}

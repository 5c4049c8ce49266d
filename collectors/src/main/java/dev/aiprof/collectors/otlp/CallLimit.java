package dev.aiprof.collectors.otlp;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * At most {@code max} gRPC calls in flight across every connection; a call beyond it is closed at
 * once with RESOURCE_EXHAUSTED (retryable in OTLP) and counted, so neither memory for buffered
 * messages nor the worker queue grows with the number of senders. Thread-safe.
 */
final class CallLimit implements ServerInterceptor {
  private final Semaphore calls;
  private final int max;
  final LongAdder refused = new LongAdder();

  CallLimit(int max) {
    this.max = max;
    this.calls = new Semaphore(max);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (!calls.tryAcquire()) {
      refused.increment();
      call.close(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "the aiprof agent has " + max + " OTLP calls in flight: retry later"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            calls.release();
          }
        };
    try {
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
          next.startCall(call, headers)) {
        @Override
        public void onComplete() {
          release.run();
          super.onComplete();
        }

        @Override
        public void onCancel() {
          release.run();
          super.onCancel();
        }
      };
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }
}

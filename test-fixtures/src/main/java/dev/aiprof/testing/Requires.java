package dev.aiprof.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Preconditions of a test class or method. Unmet locally, the test is skipped with the reason;
 * unmet under CI ({@code CI=true}), it fails, so a broken environment cannot pass as a green run.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(PreconditionExtension.class)
public @interface Requires {
  /** Needs effective uid 0 (BPF, cgroups). */
  boolean root() default false;

  /** Commands that must be on the PATH, e.g. "bpftrace". */
  String[] tools() default {};

  /** Files that must exist, e.g. "/sys/kernel/btf/vmlinux". */
  String[] files() default {};
}

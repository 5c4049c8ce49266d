package dev.aiprof.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test that leaves BPF programs, maps or links open in this process: every such kernel
 * object is held by a file descriptor, so the test's BPF descriptors before and after must match.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(BpfLeakExtension.class)
public @interface NoBpfLeaks {}

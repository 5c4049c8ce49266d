package dev.aiprof.bpf.profile;

/** What a profile event records; mirrors {@code enum profile_kind} in profile.h. */
public enum ProfileKind {
  ON_CPU,
  OFF_CPU;

  public int code() {
    return ordinal();
  }

  /** The kind of {@code code}, or null for a code this version does not know. */
  public static ProfileKind ofCode(int code) {
    return code >= 0 && code < values().length ? values()[code] : null;
  }
}

package dev.aiprof.bpf.net;

import java.util.Locale;

/** The TCP probe's own health counters; mirrors {@code enum net_counter} in net.h. */
public enum NetCounter {
  /** Sockets not tracked because the socket map was full (their bytes go to the workload). */
  SOCKS_FULL,
  /** Traffic not counted because the workload map was full. */
  CGROUPS_FULL,
  /** Retransmitting or slow endpoints not named because the peer map was full. */
  PEERS_FULL,
  /** Followed threads' traffic left without a phase because the slot map was full. */
  SLOTS_FULL,
  /** Threads whose followed flag was unknown for lack of task storage. */
  STATE_MISSING,
  /** Sockets first seen after they opened (open before the probe): no lifetime, no side. */
  SEEN_LATE,
  /** Not used: the probe sends no events. */
  EVENTS,
  /** Not used: the probe sends no events. */
  EVENTS_DROPPED;

  public int index() {
    return ordinal();
  }

  /** The value of the self-metric's fault attribute. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

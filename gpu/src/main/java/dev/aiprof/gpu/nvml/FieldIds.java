package dev.aiprof.gpu.nvml;

/** The NVML field ids ({@code NVML_FI_*}, for {@link Nvml#fieldValues}) aiprof reads. */
public final class FieldIds {
  public static final int NVLINK_CRC_FLIT_ERRORS = 38;
  public static final int NVLINK_CRC_DATA_ERRORS = 45;
  public static final int NVLINK_REPLAY_ERRORS = 52;
  public static final int NVLINK_RECOVERY_ERRORS = 59;
  public static final int NVLINK_LINK_COUNT = 91;

  /** Cumulative NVLink data transmitted, KiB, all links. */
  public static final int NVLINK_TX_KIB = 138;

  /** Cumulative NVLink data received, KiB, all links. */
  public static final int NVLINK_RX_KIB = 139;

  private FieldIds() {}
}

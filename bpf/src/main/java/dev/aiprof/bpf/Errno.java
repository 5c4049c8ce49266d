package dev.aiprof.bpf;

import java.util.Map;

/** Names and short descriptions of the errno values BPF calls return; a pure function. */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int E2BIG = 7;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOSPC = 28;
  public static final int ENOSYS = 38;
  public static final int EOPNOTSUPP = 95;

  /** Kernel-internal "operation not supported", leaked by some BPF paths. */
  public static final int ENOTSUPP = 524;

  private static final Map<Integer, String[]> KNOWN =
      Map.ofEntries(
          Map.entry(EPERM, new String[] {"EPERM", "operation not permitted"}),
          Map.entry(ENOENT, new String[] {"ENOENT", "no such file or directory"}),
          Map.entry(ESRCH, new String[] {"ESRCH", "no such process"}),
          Map.entry(EINTR, new String[] {"EINTR", "interrupted system call"}),
          Map.entry(E2BIG, new String[] {"E2BIG", "argument list too long"}),
          Map.entry(EBADF, new String[] {"EBADF", "bad file descriptor"}),
          Map.entry(EAGAIN, new String[] {"EAGAIN", "resource temporarily unavailable"}),
          Map.entry(ENOMEM, new String[] {"ENOMEM", "cannot allocate memory"}),
          Map.entry(EACCES, new String[] {"EACCES", "permission denied"}),
          Map.entry(EFAULT, new String[] {"EFAULT", "bad address"}),
          Map.entry(EBUSY, new String[] {"EBUSY", "device or resource busy"}),
          Map.entry(EEXIST, new String[] {"EEXIST", "file exists"}),
          Map.entry(ENODEV, new String[] {"ENODEV", "no such device"}),
          Map.entry(EINVAL, new String[] {"EINVAL", "invalid argument"}),
          Map.entry(ENOSPC, new String[] {"ENOSPC", "no space left on device"}),
          Map.entry(ENOSYS, new String[] {"ENOSYS", "function not implemented"}),
          Map.entry(EOPNOTSUPP, new String[] {"EOPNOTSUPP", "operation not supported"}),
          Map.entry(ENOTSUPP, new String[] {"ENOTSUPP", "operation not supported"}));

  private Errno() {}

  /** "EPERM (operation not permitted)", or "errno 1234" for values without a name here. */
  public static String describe(int errno) {
    String[] known = KNOWN.get(Math.abs(errno));
    return known == null ? "errno " + Math.abs(errno) : known[0] + " (" + known[1] + ")";
  }

  /** The symbolic name, e.g. "EPERM", or "errno N". */
  public static String name(int errno) {
    String[] known = KNOWN.get(Math.abs(errno));
    return known == null ? "errno " + Math.abs(errno) : known[0];
  }
}

package dev.aiprof.reference.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The server's durable request log: one line per completion, appended and fdatasync'ed before the
 * answer goes out (the {@code persist} step: a small real write to disk per request). The file is
 * truncated at start. Thread-safe.
 */
final class RequestLog implements AutoCloseable {
  private final FileChannel channel;

  RequestLog(Path file) throws IOException {
    channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
  }

  synchronized void append(String question, Completion c) {
    String line =
        System.currentTimeMillis()
            + "\t"
            + c.inputTokens()
            + "\t"
            + c.outputTokens()
            + "\t"
            + question.replace('\t', ' ').replace('\n', ' ')
            + "\n";
    try {
      ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        channel.write(b);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("request log: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

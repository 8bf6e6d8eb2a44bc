package kv.createdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir
  Path dir;

  private long fileCount() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void aFailedBodyLeavesTheOldFileAndNoTemporaryFile() throws Exception {
    Path target = dir.resolve("out.txt");
    Files.writeString(target, "old");
    assertThatThrownBy(() -> AtomicFile.write(target, out -> {
      out.write("x".repeat(200_000));
      throw new IOException("disk full");
    })).isInstanceOf(IOException.class).hasMessage("disk full");
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(fileCount()).isEqualTo(1);
  }

  @Test
  void aFailedBodyCreatesNothing() throws Exception {
    Path target = dir.resolve("new.txt");
    assertThatThrownBy(() -> AtomicFile.write(target, out -> {
      throw new IOException("boom");
    })).isInstanceOf(IOException.class);
    assertThat(fileCount()).isZero();
  }

  @Test
  void theTargetAppearsWhenCompleteWithOrdinaryPermissions() throws Exception {
    Path target = dir.resolve("new.txt");
    AtomicFile.write(target, out -> {
      out.write("héllo\n");
      assertThat(target).doesNotExist();
    });
    assertThat(Files.readString(target)).isEqualTo("héllo\n");
    assertThat(fileCount()).isEqualTo(1);
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(Files.getPosixFilePermissions(target)).contains(PosixFilePermission.OWNER_READ)
          .hasSizeGreaterThan(2);
    }
  }
}

package kv.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two costs of the RESP request decoder that its unit tests only check for correctness:
 * {@code hugeAnnouncedArray} decodes the header of an array announcing 1M elements followed by
 * one element (run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per
 * call; preallocating the 1M references would take 4-8 MB), and
 * {@code largeBulkOneByteAtATime} feeds a request with a 1 MiB bulk string one byte per read (the
 * time is linear in the size when received bytes are copied, not re-parsed: milliseconds, not
 * seconds). {@code pipelinedWrites} is the usual case: 64 pipelined VPUTs of 100-byte values
 * (what a broker's bulk load sends) in one direct buffer, as a read from a socket leaves them;
 * the time is per buffer. Single-threaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestDecoderBenchmark {
  private byte[] hugeHeader;
  private byte[] largeBulk;
  private ByteBuffer pipelined;

  @Setup
  public void setUp() throws IOException {
    hugeHeader = "*1048576\r\n$1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] payload = new byte[1 << 20];
    new Random(1).nextBytes(payload);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    RespEncoder.encodeRequest(List.of("SET".getBytes(StandardCharsets.US_ASCII),
        "k".getBytes(StandardCharsets.US_ASCII), payload), wire);
    largeBulk = wire.toByteArray();
    ByteArrayOutputStream writes = new ByteArrayOutputStream();
    Random random = new Random(2);
    for (int i = 0; i < PIPELINED; i++) {
      byte[] value = new byte[100];
      random.nextBytes(value);
      RespEncoder.encodeRequest(List.of(ascii("VPUT"), ascii(String.format("person%012d", i)),
          ascii(Long.toString(1_733_000_000_000_000L + i)), value, ascii("PACKED"), ascii("WITHVERSION")), writes);
    }
    pipelined = ByteBuffer.allocateDirect(writes.size()).put(writes.toByteArray()).flip();
  }

  private static final int PIPELINED = 64;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Benchmark
  public int pipelinedWrites() throws RespProtocolException {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    ByteBuffer in = pipelined.duplicate();
    int args = 0;
    for (Request r = decoder.next(in); r != null; r = decoder.next(in)) {
      args += r.size();
    }
    return args;
  }

  @Benchmark
  public Request hugeAnnouncedArray() throws RespProtocolException {
    return new RequestDecoder(RespLimits.DEFAULT).next(ByteBuffer.wrap(hugeHeader));
  }

  @Benchmark
  public Request largeBulkOneByteAtATime() throws RespProtocolException {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    Request request = null;
    for (int i = 0; i < largeBulk.length; i++) {
      request = decoder.next(ByteBuffer.wrap(largeBulk, i, 1));
    }
    return request;
  }
}

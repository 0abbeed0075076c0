package modelc.bench;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A per-benchmark measure of contention, next to FmaPeak: the secondary result {@code :cores} is
 * the CPU time the forked JVM used during an iteration divided by the iteration's wall time, so the
 * cores the benchmark actually got (a single-threaded benchmark on an idle machine shows about 1.0;
 * a two-threaded session about 2.0, its workers' spinning included). It counts the whole process
 * (JIT and GC threads too, which are idle once warm and with nothing allocated). Throughput divided
 * by {@code :cores} is throughput per core actually obtained.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class CpuShare {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** CPU seconds of the process in this iteration; JMH divides it by the iteration's time. */
    public double cores;

    private long start;
    private boolean counts;

    @Setup(Level.Iteration)
    public void start(ThreadParams thread) {
        counts = thread.getThreadIndex() == 0;   // one benchmark thread counts the whole process
        cores = 0;
        start = OS.getProcessCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        if (counts) cores = (OS.getProcessCpuTime() - start) / 1e9;
    }
}

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a request's time goes, by servlet filter: reads a Java Flight Recorder recording
 * and counts its execution samples by the innermost filter on their stack (the filter
 * whose own code, or what it called, was running), and the samples outside any filter
 * (the server's own work: connections, parsing, the poller). JFR samples threads while
 * they run Java code, so time in system calls is not counted. A filter is named by the
 * class that declares its method: {@code OncePerRequestFilter} is the bookkeeping Spring's
 * filters of that kind share. Run by {@code benchmarks/profile.sh}:
 *
 * <pre>
 * java benchmarks/HitProfile.java recording.jfr
 * </pre>
 */
public final class HitProfile {

	private static final List<String> FILTER_METHODS = List.of("doFilter", "doFilterInternal");

	private HitProfile() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			System.err.println("usage: java HitProfile.java recording.jfr");
			System.exit(2);
		}
		Map<String, Integer> samples = new TreeMap<>();
		int total = 0;
		int micrometer = 0;
		int truncated = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
			if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
				continue;
			}
			if (event.getStackTrace().isTruncated()) {
				truncated++;
				continue;
			}
			List<RecordedFrame> frames = event.getStackTrace().getFrames();
			if (!onRequestThread(frames)) {
				continue;
			}
			total++;
			samples.merge(innermostFilter(frames), 1, Integer::sum);
			if (frames.stream().anyMatch((frame) -> typeOf(frame).startsWith("io.micrometer."))) {
				micrometer++;
			}
		}
		System.out.printf("%d samples of request threads (%d samples of any thread with a stack too deep to read left"
				+ " out)%n", total, truncated);
		int all = Math.max(total, 1);
		samples.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.forEach((entry) -> System.out.printf("  %5.1f%%  %s%n", 100.0 * entry.getValue() / all, entry.getKey()));
		System.out.printf("  of all: %.1f%% in Micrometer's code (observations, meters), wherever called from%n",
				100.0 * micrometer / all);
	}

	/** Samples of a thread that serves requests: Tomcat's workers and its poller. */
	private static boolean onRequestThread(List<RecordedFrame> frames) {
		return frames.stream().anyMatch((frame) -> typeOf(frame).startsWith("org.apache.tomcat.util.net."));
	}

	private static String innermostFilter(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) { // the top of the stack first
			String type = typeOf(frame);
			if (FILTER_METHODS.contains(frame.getMethod().getName()) && !type.startsWith("org.apache.catalina.")) {
				return "in " + type.substring(type.lastIndexOf('.') + 1);
			}
		}
		return "outside any filter (Tomcat: connections, parsing, the poller)";
	}

	private static String typeOf(RecordedFrame frame) {
		return frame.getMethod().getType().getName();
	}

}

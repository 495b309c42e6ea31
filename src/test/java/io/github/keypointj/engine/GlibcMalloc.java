package io.github.keypointj.engine;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Structure;

import java.util.List;

/** glibc's malloc statistics, for tests and benchmarks of native memory (glibc 2.33 or later). */
public final class GlibcMalloc {

	private GlibcMalloc() {}

	/** glibc's struct mallinfo2: ten size_t; hblkhd is the memory in blocks that malloc mapped on their own. */
	public static final class MallInfo2 extends Structure implements Structure.ByValue {

		public long arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;

		@Override
		protected List<String> getFieldOrder() {
			return List.of("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
				"keepcost");
		}
	}

	/** mallinfo2() now, over all arenas; UnsatisfiedLinkError before glibc 2.33. */
	public static MallInfo2 mallinfo2() {
		return (MallInfo2) NativeLibrary.getInstance("c").getFunction("mallinfo2").invoke(MallInfo2.class, new Object[0]);
	}
}

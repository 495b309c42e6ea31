package io.github.keypointj;

/**
 * A problem the user can fix: a missing file, a wrong image type, a GPU that is not there.
 * <p>
 * The message is written for a Fiji user and names the file, slice or parameter at fault;
 * commands show it as it is, without a stack trace.
 */
public class KeypointException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public KeypointException(final String message) {
		super(message);
	}

	public KeypointException(final String message, final Throwable cause) {
		super(message, cause);
	}
}

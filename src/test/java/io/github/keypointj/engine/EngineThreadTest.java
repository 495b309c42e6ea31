package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keypointj.KeypointException;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class EngineThreadTest {

	/** Work from any thread runs on one and the same thread (one malloc arena), never the caller's. */
	@Test
	void workFromEveryThreadRunsOnOneThread() throws Exception {
		final Thread first = EngineThread.call(Thread::currentThread);
		final AtomicReference<Thread> second = new AtomicReference<>();
		final Thread caller = new Thread(() -> second.set(EngineThread.call(Thread::currentThread)), "a command");
		caller.start();
		caller.join();
		assertSame(first, second.get());
		assertNotEquals(Thread.currentThread(), first);
		assertEquals("nested", EngineThread.call(() -> EngineThread.call(() -> "nested")), "no deadlock when nested");
	}

	@Test
	void exceptionsReachTheCallerAsThrown() {
		final KeypointException thrown = assertThrows(KeypointException.class, () -> EngineThread.call(() -> {
			throw new KeypointException("the message for the user");
		}));
		assertEquals("the message for the user", thrown.getMessage());
	}
}

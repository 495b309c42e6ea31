package io.github.keypointj.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keypointj.KeypointException;

import org.junit.jupiter.api.Test;

class InferencePathTest {

	@Test
	void thePropertyTakesScriptOrLayersAndNamesItselfOtherwise() {
		assertEquals(InferencePath.SCRIPT, InferencePath.parse(null, InferencePath.PROPERTY));
		assertEquals(InferencePath.SCRIPT, InferencePath.parse(" Script ", InferencePath.PROPERTY));
		assertEquals(InferencePath.LAYERS, InferencePath.parse("layers", InferencePath.PROPERTY));
		final KeypointException refused = assertThrows(KeypointException.class,
			() -> InferencePath.parse("gpu", InferencePath.PROPERTY));
		assertEquals("keypointj.inference_path: 'gpu' is not one of script, layers.", refused.getMessage());
	}

	@Test
	void theAboutReportSaysHowInferenceRunsAndHowToSwitch() {
		assertTrue(EngineReport.lines().contains("Inference: " + InferencePath.describe()));
		assertTrue(InferencePath.describe().endsWith("(-Dkeypointj.inference_path=layers switches)"),
			InferencePath.describe());
	}
}

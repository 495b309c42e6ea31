package io.github.keypointj.io;

import io.github.keypointj.KeypointException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What KeypointJ takes from a DeepLabCut project's {@code config.yaml}: its task, its scorer (whose
 * {@code CollectedData_<scorer>} files hold the labels) and its bodyparts in order: {@code bodyparts}, or
 * for a multi-animal project ({@code bodyparts: MULTI!}) {@code multianimalbodyparts}, the unique
 * bodyparts belonging to no animal.
 */
public record DeepLabCutConfig(String task, String scorer, List<String> bodyparts) {

	public static DeepLabCutConfig read(final Path config) {
		final String name = config.getFileName().toString();
		final Object yaml;
		try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
			yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
		catch (final IOException e) {
			throw new KeypointException("Could not read " + config + ": " + e.getMessage(), e);
		}
		catch (final YAMLException e) {
			throw new KeypointException(name + " is not YAML, as DeepLabCut writes its config.yaml: " + e.getMessage(), e);
		}
		if (!(yaml instanceof Map<?, ?> settings) || settings.get("scorer") == null) {
			throw new KeypointException(name + " is not a DeepLabCut project's config.yaml: it has no 'scorer'.");
		}
		final boolean multiAnimal = Boolean.TRUE.equals(settings.get("multianimalproject")) ||
			"MULTI!".equals(settings.get("bodyparts"));
		final String key = multiAnimal ? "multianimalbodyparts" : "bodyparts";
		final List<String> bodyparts = new ArrayList<>();
		if (settings.get(key) instanceof List<?> list) list.forEach(bodypart -> bodyparts.add(String.valueOf(bodypart)));
		if (bodyparts.isEmpty()) throw new KeypointException(name + ": its '" + key + "' lists no bodyparts.");
		final Object task = settings.get("Task");
		return new DeepLabCutConfig(task == null ? name : task.toString(), settings.get("scorer").toString(), List.copyOf(bodyparts));
	}
}

package io.github.trtcreactive.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Generates core's model classes and action table from the spec. The output is a pure function of
 * the spec, so a test can regenerate it and compare it with the committed sources.
 *
 * <p>Usage: {@code Generate <spec.json> <repository root>}; run it with
 * {@code mvn -q -pl codegen compile exec:java@generate}.
 */
public final class Generate {

    /** Where core's generated sources live, relative to the repository root. */
    public static final String CORE_ROOT = "core/src/generated/java";

    /** Where the Reactor client's generated sources live, relative to the repository root. */
    public static final String REACTOR_ROOT = "reactor-adapter/src/generated/java";

    private Generate() {}

    /**
     * Command-line entry point: writes the generated sources and removes stale generated files.
     *
     * @param args the spec file and the repository root
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Generate <spec.json> <repository root>");
        }
        Path root = Path.of(args[1]);
        Map<String, String> files = generate(Spec.read(Path.of(args[0])));
        for (String stale : existing(root)) {
            if (!files.containsKey(stale)) {
                Files.delete(root.resolve(stale));
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = root.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
        System.out.printf("generated %d files under %s%n", files.size(), root);
    }

    /**
     * Generates every source file from the spec.
     *
     * @param spec the spec
     * @return the files' contents by path relative to the repository root, in a stable order
     */
    public static Map<String, String> generate(Spec spec) {
        Map<String, String> files = new TreeMap<>();
        ModelWriter models = new ModelWriter(spec);
        spec.objects().forEach((name, type) ->
                files.put(path(CORE_ROOT, ModelWriter.PACKAGE, name), models.write(name, type)));
        Map<String, Map<String, Spec.Member>> shared = new TreeMap<>();
        spec.objects().forEach((name, type) -> type.members().forEach(m -> {
            if (ModelWriter.hasValueSet(m) && m.facts().valueSet() != null) {
                shared.computeIfAbsent(m.facts().valueSet(), k -> new java.util.LinkedHashMap<>()).put(name + "." + m.name(), m);
            }
        }));
        shared.forEach((name, users) ->
                files.put(path(CORE_ROOT, ModelWriter.PACKAGE, name), models.writeSharedValueSet(name, users)));
        files.put(path(CORE_ROOT, CatalogueWriter.PACKAGE, "ActionTable"), new CatalogueWriter().write(spec));
        files.put(path(CORE_ROOT, ReaderWriter.PACKAGE, "ModelReaders"), new ReaderWriter(spec).write());
        files.put(path(CORE_ROOT, ErrorCodesWriter.PACKAGE, ErrorCodesWriter.CLASS), new ErrorCodesWriter().write(spec));
        files.put(path(REACTOR_ROOT, OperationsWriter.PACKAGE, "TrtcOperations"), new OperationsWriter().write(spec));
        return files;
    }

    /**
     * Lists the generated files (those carrying the generator's notice) under the generated source
     * roots of a repository.
     *
     * @param repository the repository root
     * @return paths relative to the repository root, with '/' separators, sorted
     * @throws IOException when the tree cannot be read
     */
    public static List<String> existing(Path repository) throws IOException {
        List<String> found = new java.util.ArrayList<>();
        for (String root : List.of(CORE_ROOT, REACTOR_ROOT)) {
            Path dir = repository.resolve(root);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".java"))
                        .filter(Generate::isGenerated)
                        .map(p -> repository.relativize(p).toString().replace('\\', '/'))
                        .forEach(found::add);
            }
        }
        return found.stream().sorted().collect(Collectors.toList());
    }

    private static boolean isGenerated(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).startsWith(Source.NOTICE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String path(String root, String pkg, String type) {
        return root + "/" + pkg.replace('.', '/') + "/" + type + ".java";
    }
}

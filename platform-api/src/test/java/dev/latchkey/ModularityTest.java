package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.DiagramOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions.DiagramStyle;

/**
 * The module map: verified, drawn, and described. The diagrams in {@code docs/modules} are what
 * Spring Modulith's {@link Documenter} generates from the code, and the README's architecture table
 * names exactly the modules there are.
 */
class ModularityTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(LatchkeyApplication.class);
    private static final Path GENERATED = Path.of("target", "modulith-docs");
    private static final Path COMMITTED = Path.of("..", "docs", "modules");
    private static final Path README = Path.of("..", "README.md");

    @Test
    void givenThePackageByFeatureLayout_whenVerified_thenNoCapabilityReachesIntoAnotherOrFormsACycle() {
        MODULES.verify();
    }

    @Test
    void givenTheModuleMap_whenDocumented_thenTheCommittedDiagramsAreTheGeneratedOnes() throws IOException {
        DiagramOptions uml = DiagramOptions.defaults().withStyle(DiagramStyle.UML);
        // Every module depends on the kernel: drawn, those arrows would hide the ones that say something.
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
                .writeModulesAsPlantUml(uml.withExclusions(module -> module.getIdentifier().toString().equals("kernel")))
                .writeIndividualModulesAsPlantUml(uml);

        Set<String> generated = pumlFiles(GENERATED);
        for (String name : generated) {
            Path file = GENERATED.resolve(name);
            Files.writeString(file, canonical(Files.readString(file)));
        }
        Set<String> committed = Files.isDirectory(COMMITTED) ? pumlFiles(COMMITTED) : Set.of();
        List<String> stale = new ArrayList<>();
        for (String name : generated) {
            if (!committed.contains(name)
                    || !Files.readString(GENERATED.resolve(name)).equals(Files.readString(COMMITTED.resolve(name)))) {
                stale.add(name);
            }
        }
        committed.stream().filter(name -> !generated.contains(name)).forEach(stale::add);
        assertThat(stale).withFailMessage(() -> "The module map changed: docs/modules is not what Documenter"
                + " generates (" + stale + "). Look at the new diagrams, then from the repository root:\n"
                + "  rm -f docs/modules/*.puml && cp platform-api/target/modulith-docs/*.puml docs/modules/\n"
                + "and commit them (and update the README's architecture table).").isEmpty();
    }

    @Test
    void givenTheReadmesArchitectureTable_whenComparedWithTheModules_thenItNamesEachModuleOnce() throws IOException {
        String readme = Files.readString(README);
        String architecture = readme.substring(readme.indexOf("## Architecture"));
        architecture = architecture.substring(0, architecture.indexOf("\n## ", 1));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z]+)` \\|").matcher(architecture);
        List<String> rows = new ArrayList<>();
        while (row.find()) {
            rows.add(row.group(1));
        }
        Set<String> modules = MODULES.stream().map(ApplicationModule::getIdentifier).map(Object::toString)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(rows).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(rows)).isEqualTo(modules);
        assertThat(architecture).contains("docs/modules/components.puml");
    }

    /**
     * Documenter lists components and relationships in no fixed order; sorted within each run of
     * them, the same map is the same text.
     */
    static String canonical(String puml) {
        List<String> lines = new ArrayList<>(puml.lines().toList());
        int start = 0;
        while (start < lines.size()) {
            String kind = kind(lines.get(start));
            int end = start + 1;
            while (end < lines.size() && kind != null && kind.equals(kind(lines.get(end)))) {
                end++;
            }
            if (kind != null) {
                lines.subList(start, end).sort(null);
            }
            start = end;
        }
        return String.join("\n", lines) + "\n";
    }

    private static String kind(String line) {
        return line.contains(" --> ") ? "relationship" : line.trim().startsWith("component ") ? "component" : null;
    }

    private static Set<String> pumlFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".puml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}

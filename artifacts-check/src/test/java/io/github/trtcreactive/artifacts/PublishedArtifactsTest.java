package io.github.trtcreactive.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What {@code mvn deploy} would publish, read from the modules' POMs and the files the build made:
 * the BOM lists exactly the published modules; each published jar names its module and comes with
 * sources and Javadoc; each published POM stands alone (no parent, no dependencyManagement, every
 * dependency versioned) and carries the licence, SCM and developers; the modules that are not
 * published skip deploy.
 */
class PublishedArtifactsTest {

    private static final String GROUP = "io.github.trtcreactive";
    private static final Path ROOT = Path.of(System.getProperty("trtc.root", "..")).normalize();
    private static final String VERSION = System.getProperty("trtc.version", "0.1.0-SNAPSHOT");
    /** Published module directory → artifactId, read from the POMs. */
    private static final Map<String, String> PUBLISHED = new TreeMap<>();
    private static final List<String> UNPUBLISHED = new ArrayList<>();

    @BeforeAll
    static void readModules() throws Exception {
        for (Element module : children(child(read(ROOT.resolve("pom.xml")).getDocumentElement(), "modules"), "module")) {
            String dir = module.getTextContent().strip();
            Element project = read(ROOT.resolve(dir).resolve("pom.xml")).getDocumentElement();
            Element properties = child(project, "properties");
            Element skip = properties == null ? null : child(properties, "maven.deploy.skip");
            if (skip != null && skip.getTextContent().strip().equals("false")) {
                PUBLISHED.put(dir, text(project, "artifactId"));
            } else {
                UNPUBLISHED.add(dir);
            }
        }
    }

    private static Document read(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    @Test
    void theBom_listsExactlyThePublishedModules_atThisVersion() throws Exception {
        assertThat(PUBLISHED).containsKeys("core", "reactor-adapter", "emulator", "emulator-junit", "redis", "micrometer",
                "spring-boot-starter", "bom");
        assertThat(UNPUBLISHED).containsExactlyInAnyOrder("codegen", "artifacts-check", "examples", "examples-spring-boot",
                "benchmarks");
        Element bom = read(ROOT.resolve("bom/target/published-pom.xml")).getDocumentElement();
        assertThat(child(bom, "parent")).as("the published BOM stands alone").isNull();
        List<String> listed = new ArrayList<>();
        for (Element d : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(text(d, "groupId")).as("the BOM lists only our artifacts").isEqualTo(GROUP);
            // written ${project.version}: the BOM's own version wherever it is imported
            assertThat(text(d, "version")).isIn(VERSION, "${project.version}");
            listed.add(text(d, "artifactId"));
        }
        List<String> expected = new ArrayList<>(PUBLISHED.values());
        expected.remove("trtc-reactive-bom");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyPublishedJar_namesItsModule_andComesWithSourcesAndJavadoc() throws IOException {
        for (Map.Entry<String, String> m : PUBLISHED.entrySet()) {
            if (m.getKey().equals("bom")) {
                continue;
            }
            Path target = ROOT.resolve(m.getKey()).resolve("target");
            Path jar = target.resolve(m.getValue() + "-" + VERSION + ".jar");
            assertThat(jar).as(m.getKey()).exists();
            assertThat(target.resolve(m.getValue() + "-" + VERSION + "-sources.jar")).as(m.getKey()).exists();
            assertThat(target.resolve(m.getValue() + "-" + VERSION + "-javadoc.jar")).as(m.getKey()).exists();
            try (JarFile file = new JarFile(jar.toFile())) {
                String name = file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
                assertThat(name).as(m.getKey()).startsWith(GROUP + ".");
                ModuleDescriptor.newModule(name); // throws when the name is not a valid module name
                assertThat(file.stream().filter(e -> e.getName().endsWith(".class")).map(e -> e.getName()
                        .substring(0, e.getName().lastIndexOf('/')).replace('/', '.')).filter(p -> !p.contains("$")))
                        .as(m.getKey() + ": its packages lie under its module's name")
                        .allMatch(p -> p.startsWith(name));
            }
        }
    }

    @Test
    void everyPublishedPom_standsAlone_forcesNoThirdPartyVersion_andSaysWhoAndWhatLicence() throws Exception {
        for (Map.Entry<String, String> m : PUBLISHED.entrySet()) {
            Path published = ROOT.resolve(m.getKey()).resolve("target/published-pom.xml");
            assertThat(published).as(m.getKey()).exists();
            Element project = read(published).getDocumentElement();
            assertThat(child(project, "parent")).as(m.getKey()).isNull();
            assertThat(text(project, "artifactId")).isEqualTo(m.getValue());
            assertThat(text(project, "url")).as(m.getKey()).startsWith("https://github.com/");
            assertThat(text(child(child(project, "licenses"), "license"), "name")).as(m.getKey()).isEqualTo("Apache-2.0");
            assertThat(child(project, "scm")).as(m.getKey()).isNotNull();
            assertThat(child(project, "developers")).as(m.getKey()).isNotNull();
            if (m.getKey().equals("bom")) {
                continue;
            }
            assertThat(child(project, "dependencyManagement")).as(m.getKey() + " manages no version").isNull();
            for (Element d : children(child(project, "dependencies"), "dependency")) {
                assertThat(text(d, "version")).as(m.getKey() + " " + text(d, "artifactId")).isNotBlank();
                assertThat(text(d, "scope")).as(m.getKey() + " " + text(d, "artifactId")).isNotEqualTo("test");
            }
        }
    }

    @Test
    void theLicenceFile_isApache2() throws IOException {
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
    }
}

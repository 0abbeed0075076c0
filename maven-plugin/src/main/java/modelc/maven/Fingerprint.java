package modelc.maven;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import modelc.compiler.Compiler;
import modelc.maven.generate.Digests;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.descriptor.PluginDescriptor;

/**
 * What identifies the code generator: every modelc artifact on the plugin's class path (this
 * plugin, the compiler, the grammar, the runtime) by version and content, so a rebuilt SNAPSHOT
 * regenerates as surely as a new release does.
 */
final class Fingerprint {
    private static final String GROUP = "dev.modelc";

    private Fingerprint() {}

    static String of(PluginDescriptor plugin) {
        List<String> parts = new ArrayList<>();
        List<Artifact> artifacts = plugin == null || plugin.getArtifacts() == null ? List.of() : new ArrayList<>(plugin.getArtifacts());
        artifacts.sort(Comparator.comparing(Artifact::getArtifactId));
        for (Artifact a : artifacts) {
            if (!GROUP.equals(a.getGroupId())) continue;
            parts.add(a.getArtifactId() + ":" + a.getVersion() + ":" + contentOf(a.getFile()));
        }
        if (parts.isEmpty()) {
            File compiler = new File(Compiler.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            parts.add("modelc-compiler:" + contentOf(compiler));
        }
        return Digests.of(parts.toArray(String[]::new));
    }

    private static String contentOf(File file) {
        try {
            if (file != null && file.isFile()) return Digests.ofFile(file.toPath());
        } catch (IOException e) {
            // fall through: the modification time still changes when the artifact is rebuilt
        }
        return file == null ? "?" : file + "@" + file.lastModified();
    }
}

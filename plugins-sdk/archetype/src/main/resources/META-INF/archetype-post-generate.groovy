// Keeps the sources of the chosen kind, moved into the package; deletes the other kinds.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardCopyOption

def kinds = ['caption-generator', 'image-generator', 'image-encoder', 'text-encoder', 'objective', 'dataset', 'evaluator']
def props = request.properties
def kind = props.get('kind')
Path project = Paths.get(request.outputDirectory, request.artifactId)
Path templates = project.resolve('kinds')
if (!kinds.contains(kind)) {
    // Leave nothing half-made behind.
    project.toFile().deleteDir()
    throw new IllegalArgumentException("kind '" + kind + "' is not one of " + kinds.join(', '))
}
String packagePath = props.get('package').replace('.', '/')
['main', 'test'].each { scope ->
    Path from = templates.resolve(kind).resolve(scope)
    Path to = project.resolve('src').resolve(scope).resolve('java').resolve(packagePath)
    Files.createDirectories(to)
    from.toFile().eachFile { f ->
        Files.move(f.toPath(), to.resolve(f.name), StandardCopyOption.REPLACE_EXISTING)
    }
}
templates.toFile().deleteDir()
println "Generated a ${kind} plugin '${props.get('pluginName')}' in ${project}"

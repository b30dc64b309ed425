package dev.shoppulse.sql;

import dev.shoppulse.common.testing.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A schema of the shared PostgreSQL with every migration applied, for one test ({@code
 * RegisterExtension} on an instance field) or for a whole class (on a static field), dropped after;
 * {@link #connection()} opens one connection to it on first use and closes it with the schema.
 */
public final class MigratedSchema
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final String prefix;
    private boolean perClass;
    private String name;
    private Connection connection;

    public MigratedSchema(String prefix) {
        this.prefix = prefix;
    }

    public String name() {
        return name;
    }

    public Connection connection() throws SQLException {
        if (connection == null) {
            connection = TestServices.postgres(name);
        }
        return connection;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        create();
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        drop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            create();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        if (!perClass) {
            drop();
        }
    }

    private void create() {
        name = TestServices.uniqueId(prefix);
        TestServices.createSchema(name);
        Migrations.apply(TestServices.postgresUrl(), TestServices.postgresUser(), null, name);
    }

    private void drop() throws SQLException {
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } finally {
            TestServices.dropSchema(name);
        }
    }
}

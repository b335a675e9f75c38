package com.example.notes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The notes table, in plain JDBC: what the API and the purge job read and write. */
public final class NoteStore {

    /**
     * A stored note.
     *
     * @param id its id
     * @param title its title
     * @param body its text
     * @param createdAt when it was created
     * @param updatedAt when it last changed
     * @param expiresAt when the purge job deletes it, if ever
     */
    public record Note(long id, String title, String body, Instant createdAt, Instant updatedAt, Instant expiresAt) {}

    private final DataSource database;

    /**
     * Creates the store.
     *
     * @param database the pool behind DATABASE_URL
     */
    public NoteStore(DataSource database) {
        this.database = database;
    }

    /**
     * Adds a note.
     *
     * @param title its title
     * @param body its text
     * @param expiresAt when it expires, or null
     * @return the note as stored
     * @throws SQLException when the database fails
     */
    public Note create(String title, String body, Instant expiresAt) throws SQLException {
        Instant now = Instant.now();
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO notes (title, body, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                     new String[] {"id"})) {
            insert.setString(1, title);
            insert.setString(2, body);
            insert.setTimestamp(3, Timestamp.from(now));
            insert.setTimestamp(4, Timestamp.from(now));
            setInstant(insert, 5, expiresAt);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return new Note(keys.getLong(1), title, body, now, now, expiresAt);
            }
        }
    }

    /**
     * Finds a note.
     *
     * @param id its id
     * @return the note, or empty when there is none
     * @throws SQLException when the database fails
     */
    public Optional<Note> find(long id) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, title, body, created_at, updated_at, expires_at FROM notes WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(note(row)) : Optional.empty();
            }
        }
    }

    /**
     * Lists notes in id order, a page at a time: the page after {@code afterId}.
     *
     * @param afterId the last id of the previous page, 0 for the first
     * @param limit the most notes to return
     * @return the page
     * @throws SQLException when the database fails
     */
    public List<Note> page(long afterId, int limit) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id, title, body, created_at, updated_at,"
                     + " expires_at FROM notes WHERE id > ? ORDER BY id LIMIT ?")) {
            select.setLong(1, afterId);
            select.setInt(2, limit);
            var notes = new ArrayList<Note>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    notes.add(note(row));
                }
            }
            return notes;
        }
    }

    /**
     * Replaces a note's title, body and expiry.
     *
     * @param id its id
     * @param title the new title
     * @param body the new text
     * @param expiresAt the new expiry, or null
     * @return the note as stored, or empty when there is none
     * @throws SQLException when the database fails
     */
    public Optional<Note> update(long id, String title, String body, Instant expiresAt) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE notes SET title = ?, body = ?, updated_at = ?, expires_at = ? WHERE id = ?")) {
            update.setString(1, title);
            update.setString(2, body);
            update.setTimestamp(3, Timestamp.from(Instant.now()));
            setInstant(update, 4, expiresAt);
            update.setLong(5, id);
            return update.executeUpdate() == 0 ? Optional.empty() : find(id);
        }
    }

    /**
     * Deletes a note.
     *
     * @param id its id
     * @return whether there was one
     * @throws SQLException when the database fails
     */
    public boolean delete(long id) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM notes WHERE id = ?")) {
            delete.setLong(1, id);
            return delete.executeUpdate() > 0;
        }
    }

    /**
     * Deletes every note whose expiry has passed.
     *
     * @param now the time to compare with
     * @return how many were deleted
     * @throws SQLException when the database fails
     */
    public int purgeExpired(Instant now) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM notes WHERE expires_at <= ?")) {
            delete.setTimestamp(1, Timestamp.from(now));
            return delete.executeUpdate();
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(value));
        }
    }

    private static Note note(ResultSet row) throws SQLException {
        Timestamp expires = row.getTimestamp("expires_at");
        return new Note(row.getLong("id"), row.getString("title"), row.getString("body"),
                row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant(),
                expires == null ? null : expires.toInstant());
    }
}

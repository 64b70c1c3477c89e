using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace EtatMajor.SharedKernel.Data;

/// <summary>What a provider's error means for the caller, so that the Api need not know either provider.</summary>
public static class DbErrors
{
    /// <summary>A unique index refused a duplicate (raced past the handler's own check): 409.</summary>
    public static bool IsUniqueViolation(DbException exception) => exception switch
    {
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };

    /// <summary>The database cannot serve now (busy, locked, unreachable, disk full): 503 with Retry-After.</summary>
    public static bool IsUnavailable(DbException exception) => exception switch
    {
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14,
        // Timeout, network, database unavailable, deadlock victim, Azure SQL transient codes.
        SqlException sql => sql.Number is -2 or 2 or 53 or 1205 or 4060 or 40197 or 40501 or 40613 or 49918,
        _ => false,
    };
}

using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Neptune.Data;

/// <summary>
/// Which database holds Neptune's data, bound from "Neptune:Database" (Neptune__Database__Provider,
/// Neptune__Database__ConnectionString): the SQLite file in the data dir (desktop, the default) or PostgreSQL (server).
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Neptune:Database";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public string Provider { get; set; } = Sqlite;

    /// <summary>For postgres: an Npgsql connection string, e.g. Host=db;Port=5432;Username=neptune;Password=…;Database=neptune.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsPostgres && !string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{Section}:Provider must be '{Sqlite}' or '{Postgres}' (got \"{Provider}\").", [nameof(Provider)]);
        }

        if (IsPostgres)
        {
            string? problem = null;
            if (string.IsNullOrWhiteSpace(ConnectionString))
            {
                problem = "is required when the provider is postgres, e.g. Host=db;Port=5432;Username=neptune;Password=…;Database=neptune";
            }
            else
            {
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(ConnectionString);
                }
                catch (ArgumentException e)
                {
                    problem = $"is not a valid PostgreSQL connection string: {e.Message}";
                }
            }

            if (problem is not null)
            {
                yield return new ValidationResult($"{Section}:ConnectionString {problem}.", [nameof(ConnectionString)]);
            }
        }
    }
}

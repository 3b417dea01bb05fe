using System.ComponentModel.DataAnnotations;

namespace Neptune.Data;

/// <summary>Where and how Neptune keeps its data. Bound from the <c>Neptune</c> configuration section.</summary>
public sealed class StoreOptions
{
    public const string Section = "Neptune";

    /// <summary>Folder holding the database and attachments; resolved from --data, NEPTUNE_DATA_DIR or ~/.neptune.</summary>
    [Required]
    public string DataDir { get; set; } = DefaultDataDir();

    /// <summary>Largest note content accepted, in UTF-8 bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxNoteBytes { get; set; } = 1024 * 1024;

    /// <summary>How many previous versions of each note are kept.</summary>
    [Range(0, 10_000)]
    public int MaxRevisions { get; set; } = 20;

    public string DatabasePath => Path.Combine(DataDir, "neptune.db");

    public string AttachmentsDir => Path.Combine(DataDir, "attachments");

    public static string DefaultDataDir()
    {
        var fromEnv = Environment.GetEnvironmentVariable("NEPTUNE_DATA_DIR");
        return !string.IsNullOrWhiteSpace(fromEnv)
            ? Path.GetFullPath(fromEnv)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".neptune");
    }
}

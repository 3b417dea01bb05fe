using System.Globalization;
using System.Reflection;

namespace Neptune.Data;

/// <summary>A numbered SQL script from migrations/&lt;dialect&gt;/NNN_name.sql, embedded in this assembly.</summary>
internal sealed record Migration(long Version, string Name, string Sql)
{
    public static Migration[] Load(string dialect)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"migrations/{dialect}/";
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = Path.GetFileNameWithoutExtension(n[prefix.Length..]);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(long.Parse(name.Split('_')[0], CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)];
    }
}

using System.Text.Json.Nodes;

namespace Neptune.OllamaEmulator;

/// <summary>
/// The emulator's default chat answer: for a JSON-schema <c>format</c> the smallest instance that matches it (as
/// Ollama's constrained decoding guarantees valid shape), "{}" for "json", and plain text otherwise.
/// </summary>
public static class SchemaAnswer
{
    public static string For(EmulatedChat chat)
    {
        ArgumentNullException.ThrowIfNull(chat);
        return chat.Format switch
        {
            JsonObject schema => (Instance(schema, 0) ?? new JsonObject()).ToJsonString(),
            JsonValue value when value.TryGetValue<string>(out var text) && text == "json" => "{}",
            _ => $"The Ollama emulator answers as {chat.Model}.",
        };
    }

    private static JsonNode? Instance(JsonNode? schema, int index)
    {
        if (schema is not JsonObject node)
        {
            return null;
        }

        if (node["enum"] is JsonArray choices && choices.Count > 0)
        {
            return choices[0]?.DeepClone();
        }

        switch ((string?)node["type"])
        {
            case "object":
                var result = new JsonObject();
                if (node["properties"] is JsonObject properties)
                {
                    foreach (var (name, property) in properties)
                    {
                        result[name] = Instance(property, 0);
                    }
                }

                return result;
            case "array":
                var count = Math.Max(1, (int?)node["minItems"] ?? 1);
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    array.Add(Instance(node["items"], i));
                }

                return array;
            case "number":
            case "integer":
                var minimum = (double?)node["minimum"] ?? 0;
                var maximum = (double?)node["maximum"] ?? minimum + 1;
                var middle = (minimum + maximum) / 2;
                return (string?)node["type"] == "integer" ? JsonValue.Create((long)Math.Floor(middle)) : JsonValue.Create(middle);
            case "boolean":
                return JsonValue.Create(true);
            case "string":
                return JsonValue.Create(index == 0 ? "example" : $"example {index + 1}");
            default:
                return null;
        }
    }
}

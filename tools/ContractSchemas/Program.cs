using PatientJourney.ContractSchemas;

// Writes docs/contracts/ from contracts/; a test fails when the committed files are out of date.
var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
foreach (var (name, content) in ContractSchemaGenerator.Generate())
{
    var path = Path.Combine(root, ContractSchemaGenerator.Folder, name);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, content);
}
Console.WriteLine($"wrote {ContractSchemaGenerator.Generate().Count} files under {Path.Combine(root, ContractSchemaGenerator.Folder)}");

namespace Neptune.Core.Topics;

/// <summary>English function words and fillers that never start or end a keyphrase ("of the file", "files that").</summary>
public static class Stopwords
{
    public static bool Contains(string word) => English.Contains(word);

    /// <summary>
    /// Lower case; looked up case-insensitively. Close to the lists of scikit-learn and NLTK, plus contractions and the
    /// verbs and fillers of reference prose that otherwise end candidates ("mkswap refuses", "file system containing").
    /// </summary>
    public static readonly IReadOnlySet<string> English = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "a", "about", "above", "across", "after", "afterwards", "again", "against", "ain't", "all", "almost", "alone",
        "along", "already", "also", "although", "always", "am", "among", "amongst", "an", "and", "another", "any",
        "anyhow", "anyone", "anything", "anyway", "anywhere", "are", "aren't", "around", "as", "at", "back", "be",
        "became", "because", "become", "becomes", "becoming", "been", "before", "beforehand", "behind", "being", "below",
        "beside", "besides", "between", "beyond", "both", "but", "by", "can", "can't", "cannot", "could", "couldn't",
        "did", "didn't", "do", "does", "doesn't", "doing", "don't", "done", "down", "due", "during", "each", "eg", "e.g",
        "either", "else", "elsewhere", "enough", "etc", "even", "ever", "every", "everyone", "everything", "everywhere",
        "except", "few", "for", "former", "formerly", "from", "further", "furthermore", "get", "gets", "getting", "give",
        "given", "gives", "go", "goes", "going", "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having",
        "he", "he'd", "he'll", "he's", "hence", "her", "here", "here's", "hereafter", "hereby", "herein", "hereupon",
        "hers", "herself", "him", "himself", "his", "how", "how's", "however", "i", "i'd", "i'll", "i'm", "i've", "ie",
        "i.e", "if", "in", "indeed", "instead", "into", "is", "isn't", "it", "it's", "its", "itself", "just", "last",
        "latter", "latterly", "least", "less", "let", "let's", "like", "likely", "made", "make", "makes", "many", "may",
        "maybe", "me", "meanwhile", "might", "mine", "more", "moreover", "most", "mostly", "much", "must", "mustn't",
        "my", "myself", "namely", "neither", "never", "nevertheless", "next", "no", "nobody", "none", "noone", "nor",
        "not", "nothing", "now", "nowhere", "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other",
        "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps", "please", "put",
        "quite", "rather", "really", "same", "see", "seem", "seemed", "seeming", "seems", "several", "shall", "shan't",
        "she", "she'd", "she'll", "she's", "should", "shouldn't", "since", "so", "some", "somehow", "someone",
        "something", "sometime", "sometimes", "somewhere", "still", "such", "than", "that", "that's", "the", "their",
        "theirs", "them", "themselves", "then", "thence", "there", "there's", "thereafter", "thereby", "therefore",
        "therein", "thereupon", "these", "they", "they'd", "they'll", "they're", "they've", "this", "those", "though",
        "through", "throughout", "thru", "thus", "to", "together", "too", "toward", "towards", "under", "unless",
        "until", "up", "upon", "us", "use", "used", "uses", "using", "usually", "very", "via", "was", "wasn't", "we",
        "we'd", "we'll", "we're", "we've", "well", "were", "weren't", "what", "what's", "whatever", "when", "when's",
        "whence", "whenever", "where", "where's", "whereafter", "whereas", "whereby", "wherein", "whereupon",
        "wherever", "whether", "which", "while", "whither", "who", "who's", "whoever", "whole", "whom", "whose", "why",
        "why's", "will", "with", "within", "without", "won't", "would", "wouldn't", "yet", "you", "you'd", "you'll",
        "you're", "you've", "your", "yours", "yourself", "yourselves",
        "actually", "allowed", "allows", "based", "causes", "certain", "contained", "containing", "contains",
        "currently", "defined", "defines", "described", "describes", "following", "follows", "includes", "including",
        "invokes", "known", "listed", "performs", "possibly", "previously", "provided", "provides", "refers",
        "required", "requires", "respectively", "returns", "simply", "specifically", "specified", "specifies",
        "specify", "supported", "supports", "typically", "understands", "various",
    };
}

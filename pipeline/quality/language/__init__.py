"""Language identification: langdetect's answers, reproduced exactly with numpy."""

from content.models.pages import ArticleIndexPage, ArticlePage, ArticlePageTag, HomePage
from content.models.snippets import Author

__all__ = ["ArticleIndexPage", "ArticlePage", "ArticlePageTag", "Author", "HomePage"]

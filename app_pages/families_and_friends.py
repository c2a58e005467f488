from ui.content_page import render_content_page
render_content_page("families-and-friends")
